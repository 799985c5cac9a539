/** Email through an SMTP server (nodemailer): `smtp://` upgrades with STARTTLS when offered, `smtps://` is TLS from the start. */
import nodemailer, { type Transporter } from "nodemailer";
import type { MailMessage, Mailer } from "./mailer.js";

export class SmtpMailer implements Mailer {
  private readonly transport: Transporter;

  /**
   * @param url `smtp://user:pass@host:587` or `smtps://user:pass@host:465`.
   * @param from the sender, `Name <address>` or an address.
   */
  constructor(
    url: string,
    private readonly from: string,
  ) {
    // A pool keeps one connection for bursts (an owner inviting a lab) instead of one per message.
    this.transport = nodemailer.createTransport({ url, pool: true, maxConnections: 2 });
  }

  async send(message: MailMessage): Promise<void> {
    await this.transport.sendMail({ from: this.from, to: message.to, subject: message.subject, text: message.text, html: message.html });
  }

  close(): void {
    this.transport.close();
  }
}
