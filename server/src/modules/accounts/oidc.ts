/**
 * The OpenID Connect side of single sign-on, over `openid-client`: the provider's metadata
 * (discovered once, again after a failure), the authorization URL with PKCE (S256), state and
 * nonce, and the callback's code exchange with every check the library makes (state, ID token
 * signature, issuer, audience, expiry, nonce; the code verifier at the provider).
 */
import * as client from "openid-client";
import type { OidcProviderConfig } from "../../config.js";
import { DomainError } from "../../domain/errors.js";
import { ErrorCode } from "../../errors.js";

/** What the provider says about the person, after every check passed. */
export interface OidcClaims {
  subject: string;
  email: string | undefined;
  emailVerified: boolean;
  name: string | undefined;
}

/** The secrets of one sign-in, kept here between its start and its callback. */
export interface OidcChecks {
  state: string;
  nonce: string;
  codeVerifier: string;
}

/** The provider could not be reached, or answered what is not an OpenID provider's answer. */
const unavailable = (name: string) => new DomainError(ErrorCode.SSO_UNAVAILABLE, `${name} could not be reached; try again in a moment`);

// fetch reports a refused connection or a lookup that failed as a TypeError ("fetch failed").
const isNetworkError = (error: unknown): boolean => error instanceof TypeError;

export class OidcClient {
  private configuration: Promise<client.Configuration> | undefined;

  constructor(
    readonly provider: OidcProviderConfig,
    private readonly redirectUri: () => string,
  ) {}

  /** The provider's metadata, discovered at first use; a failed discovery is tried again next time. */
  private discover(): Promise<client.Configuration> {
    const { issuer, clientId, clientSecret } = this.provider;
    // http issuers pass config.ts only on loopback (a provider on this machine).
    const execute = new URL(issuer).protocol === "http:" ? [client.allowInsecureRequests] : [];
    this.configuration ??= client.discovery(new URL(issuer), clientId, clientSecret, undefined, { execute }).catch((error: unknown) => {
      this.configuration = undefined;
      throw error;
    });
    return this.configuration;
  }

  /** Where to send the browser, and the checks its callback must pass. */
  async authorizationUrl(): Promise<{ url: URL; checks: OidcChecks }> {
    const configuration = await this.discover().catch(() => {
      throw unavailable(this.provider.name);
    });
    const checks = { state: client.randomState(), nonce: client.randomNonce(), codeVerifier: client.randomPKCECodeVerifier() };
    const url = client.buildAuthorizationUrl(configuration, {
      redirect_uri: this.redirectUri(),
      scope: "openid email profile",
      response_type: "code",
      code_challenge: await client.calculatePKCECodeChallenge(checks.codeVerifier),
      code_challenge_method: "S256",
      state: checks.state,
      nonce: checks.nonce,
    });
    return { url, checks };
  }

  /**
   * Exchanges the callback's code, checking state, nonce and (at the provider) the code verifier;
   * reads the email from the ID token, or from the userinfo endpoint when the token lacks it.
   * The provider's refusal or any failed check is SSO_REJECTED; an unreachable provider SSO_UNAVAILABLE.
   */
  async callback(callbackUrl: URL, checks: OidcChecks): Promise<OidcClaims> {
    const configuration = await this.discover().catch(() => {
      throw unavailable(this.provider.name);
    });
    try {
      const tokens = await client.authorizationCodeGrant(configuration, callbackUrl, {
        pkceCodeVerifier: checks.codeVerifier,
        expectedState: checks.state,
        expectedNonce: checks.nonce,
        idTokenExpected: true,
      });
      const idToken = tokens.claims();
      if (!idToken) throw new DomainError(ErrorCode.SSO_REJECTED, `${this.provider.name} sent no ID token`);
      let claims: Record<string, unknown> = idToken;
      if (typeof idToken.email !== "string") claims = { ...(await client.fetchUserInfo(configuration, tokens.access_token, idToken.sub)), sub: idToken.sub };
      return {
        subject: idToken.sub,
        email: typeof claims.email === "string" ? claims.email.trim().toLowerCase() : undefined,
        // Some providers send the flag as the string "true".
        emailVerified: claims.email_verified === true || claims.email_verified === "true",
        name: typeof claims.name === "string" ? claims.name : undefined,
      };
    } catch (error) {
      if (error instanceof DomainError) throw error;
      if (isNetworkError(error)) throw unavailable(this.provider.name);
      // The library's reason stays in the server's log (the cause), never in the answer.
      throw Object.assign(new DomainError(ErrorCode.SSO_REJECTED, `${this.provider.name} did not confirm this sign-in; start again from the sign-in page`), { cause: error });
    }
  }
}
