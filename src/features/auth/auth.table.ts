export interface SessionsTable {
  id_hash: string;
  user_id: number;
  csrf_token: string;
  created_at: string;
  last_seen_at: string;
}

export interface SignInThrottleTable {
  email: string;
  failures: number;
  first_failure_at: string;
  locked_until: string | null;
}

export interface OneTimeLinksTable {
  token_hash: string;
  user_id: number;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}
