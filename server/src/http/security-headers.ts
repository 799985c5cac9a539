/**
 * Headers on every response: a strict Content-Security-Policy (scripts only from our own origin,
 * no inline script, no framing), nosniff, and a same-origin referrer policy. The web app is built
 * by Vite into module scripts and stylesheets of our origin, so it needs nothing looser; React's
 * style properties are set through the DOM, which CSP does not restrict, and deck.gl sets a few
 * style attributes, hence `style-src 'unsafe-inline'` (styles cannot run code).
 */
import type { RequestHandler } from "express";
import helmet from "helmet";
import type { Config } from "../config.js";

/** Origins a browser must reach besides ours: an external object store's public endpoint. */
function storageOrigins(config: Config): string[] {
  const endpoint = config.storage.publicEndpoint ?? config.storage.endpoint;
  if (!endpoint) return [];
  try {
    return [new URL(endpoint).origin];
  } catch {
    return [];
  }
}

export function securityHeaders(config: Config): RequestHandler {
  const https = config.http.publicUrl.startsWith("https:");
  const stores = storageOrigins(config);
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:", ...stores],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'", ...stores],
        "worker-src": ["'self'", "blob:"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
      },
    },
    frameguard: { action: "deny" },
    referrerPolicy: { policy: "same-origin" },
    xContentTypeOptions: true,
    // Over plain HTTP (localhost, a private network) HSTS would only pin a scheme we do not serve.
    strictTransportSecurity: https ? { maxAge: 15552000, includeSubDomains: false } : false,
    crossOriginResourcePolicy: { policy: "same-origin" },
  });
}
