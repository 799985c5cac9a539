/**
 * Outgoing email. One interface, two transports: SMTP (`smtp-mailer.ts`, when `SMTP_URL` is set)
 * and, with nothing set up, the log plus `.eml` files under `$DATA_DIR/mail` (`file-mailer.ts`), so
 * a one-machine install can still follow every link it sends. `open-mailer.ts` picks one.
 */

/** One message: plain text always, HTML beside it when given. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** The link the message is about, written to the log by the file transport. */
  link: string;
}

export interface Mailer {
  /** Hands the message to the transport; rejects when it refuses. */
  send(message: MailMessage): Promise<void>;
  close(): void;
}
