/**
 * Email with no server: each message is logged in one line (recipient, subject, link) and kept as
 * an `.eml` file, which any mail program opens, in a folder of the data directory.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import nodemailer from "nodemailer";
import type { Logger } from "../logger.js";
import type { MailMessage, Mailer } from "./mailer.js";

export class FileMailer implements Mailer {
  // nodemailer's stream transport builds the exact RFC 5322 message SMTP would carry.
  private readonly builder = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" });

  /**
   * @param dir the folder of the `.eml` files (`$DATA_DIR/mail`), made when missing.
   * @param from the sender written into each message.
   */
  constructor(
    readonly dir: string,
    private readonly from: string,
    private readonly log: Logger,
  ) {}

  async send(message: MailMessage): Promise<void> {
    const built = await this.builder.sendMail({ from: this.from, to: message.to, subject: message.subject, text: message.text, html: message.html });
    await fs.mkdir(this.dir, { recursive: true, mode: 0o700 });
    // Sortable by time, unique within the same millisecond.
    const file = path.join(this.dir, `${new Date().toISOString().replace(/[:.]/g, "-")}-${randomBytes(4).toString("hex")}.eml`);
    // The links in these files sign in as their recipient: readable by this user only.
    await fs.writeFile(file, built.message as Buffer, { mode: 0o600 });
    this.log.info({ to: message.to, subject: message.subject, link: message.link, file }, "email kept in the data folder (SMTP_URL is not set)");
  }

  close(): void {}
}
