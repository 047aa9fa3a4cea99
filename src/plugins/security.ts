import helmet from '@fastify/helmet';
import fp from 'fastify-plugin';

export const securityPlugin = fp(
  async (app) => {
    await app.register(helmet, {
      // Scripts and styles load only from this origin, or inline with this response's nonce.
      enableCSPNonces: true,
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          fontSrc: ["'self'"],
          connectSrc: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          baseUri: ["'none'"],
          objectSrc: ["'none'"],
        },
      },
      // Forms are protected by tokens bound to the session, so the Referer is not needed.
      referrerPolicy: { policy: 'same-origin' },
    });

    app.addHook('onSend', async (request, reply, payload) => {
      reply.header('x-request-id', request.id);
      // Pages carry personal data: never keep them in a shared or browser cache.
      if (!request.url.startsWith('/assets/')) reply.header('cache-control', 'no-store');
      return payload;
    });
  },
  { name: 'security' },
);
