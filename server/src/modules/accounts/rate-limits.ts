/**
 * Rate limits of the expensive or guessable actions, per client address and per account, so one
 * client cannot try forty emails in two seconds or fill the queue, and one account cannot do it
 * from many addresses. Counters live in each API process's memory (rate-limiter-flexible): with N
 * replicas behind a balancer a client gets at most N times the limit, which still bounds it.
 *
 * A refusal is TOO_MANY_REQUESTS with the seconds to wait, which the HTTP layer also sends as
 * `Retry-After`.
 */
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import type { Config } from "../../config.js";
import { ErrorCode } from "../../errors.js";
import { DomainError } from "../../domain/errors.js";

export type LimitedAction = "signIn" | "signUp" | "createApiToken" | "upload" | "createSurface" | "accountEmail";

/** A refused attempt: wait `retryAfterSeconds`. */
export class RateLimitedError extends DomainError {
  constructor(
    readonly retryAfterSeconds: number,
    message: string,
  ) {
    super(ErrorCode.TOO_MANY_REQUESTS, message);
    this.name = "RateLimitedError";
  }
}

const WHAT: Record<LimitedAction, string> = {
  signIn: "sign-in attempts",
  signUp: "sign-ups",
  createApiToken: "new API tokens",
  upload: "uploads",
  createSurface: "new surfaces",
  accountEmail: "account emails",
};

/** Who is asking: the client's address, and the account when signed in. */
export interface Caller {
  address: string;
  userId?: string | undefined;
}

export class RateLimits {
  private readonly perAddress: Record<LimitedAction, RateLimiterMemory>;
  private readonly perAccount: Record<LimitedAction, RateLimiterMemory>;
  // Account emails also count per email address, so no one can flood one inbox from many clients.
  private readonly perEmail: RateLimiterMemory;

  constructor(limits: Config["rateLimits"]) {
    const make = (points: number, duration: number) => new RateLimiterMemory({ points: Math.max(1, points), duration });
    this.perAddress = {
      signIn: make(limits.signInPerMinute, 60),
      signUp: make(limits.signUpsPerHour, 3600),
      createApiToken: make(limits.apiTokensPerHour, 3600),
      upload: make(limits.uploadsPerHour, 3600),
      createSurface: make(limits.surfacesPerHour, 3600),
      accountEmail: make(limits.accountEmailsPerHour, 3600),
    };
    this.perAccount = {
      // Sign-in and sign-up have no account yet; the per-email lockout covers sign-in.
      signIn: make(limits.signInPerMinute, 60),
      signUp: make(limits.signUpsPerHour, 3600),
      createApiToken: make(limits.apiTokensPerHour, 3600),
      upload: make(limits.uploadsPerHour, 3600),
      createSurface: make(limits.surfacesPerHour, 3600),
      accountEmail: make(limits.accountEmailsPerHour, 3600),
    };
    this.perEmail = make(limits.accountEmailsPerHour, 3600);
  }

  /** Counts one attempt of `action`; throws RateLimitedError when the caller is over a limit. */
  async consume(action: LimitedAction, caller: Caller): Promise<void> {
    await this.refuseOver(action, async () => {
      await this.perAddress[action].consume(caller.address);
      if (caller.userId) await this.perAccount[action].consume(caller.userId);
    });
  }

  /** Counts one account email to `email` (lower-cased, whether or not it has an account); throws RateLimitedError when over. */
  async consumeEmail(email: string): Promise<void> {
    await this.refuseOver("accountEmail", () => this.perEmail.consume(email.trim().toLowerCase().slice(0, 254)));
  }

  private async refuseOver(action: LimitedAction, attempt: () => Promise<unknown>): Promise<void> {
    try {
      await attempt();
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) throw error;
      const seconds = Math.max(1, Math.ceil(error.msBeforeNext / 1000));
      throw new RateLimitedError(seconds, `Too many ${WHAT[action]}; try again in ${seconds} seconds`);
    }
  }
}
