/**
 * Messages sent after the answer: a request that mails someone returns without waiting for the
 * mail server, so its answer and timing never depend on delivery (nor on whether the address has
 * an account). A failed delivery is logged; an orderly stop waits for messages still in flight.
 */
import type { Logger } from "../logger.js";
import type { MailMessage, Mailer } from "./mailer.js";

export class Outbox {
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly mailer: Mailer,
    private readonly log: Logger,
  ) {}

  /** Runs `compose` (which may look things up) and sends what it returns, in the background; nothing is sent for undefined. */
  post(what: string, compose: () => Promise<MailMessage | undefined>): void {
    const work = compose()
      .then(async (message) => {
        if (message) await this.mailer.send(message);
      })
      .catch((error: unknown) => this.log.error({ err: error, email: what }, "an email could not be sent"))
      .finally(() => this.pending.delete(work));
    this.pending.add(work);
  }

  /** Sends now and waits, for a person who asked for this message and should hear if it failed (the cause is logged here). */
  async send(message: MailMessage): Promise<void> {
    try {
      await this.mailer.send(message);
    } catch (error) {
      this.log.error({ err: error, subject: message.subject }, "an email could not be sent");
      throw error;
    }
  }

  /** Waits for messages in flight, then closes the transport. */
  async close(): Promise<void> {
    await Promise.all([...this.pending]);
    this.mailer.close();
  }
}
