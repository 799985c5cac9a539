/** The mail transport of this process: SMTP when `SMTP_URL` is set, else the log and `$DATA_DIR/mail`. */
import type { Config } from "../config.js";
import type { Logger } from "../logger.js";
import { FileMailer } from "./file-mailer.js";
import type { Mailer } from "./mailer.js";
import { SmtpMailer } from "./smtp-mailer.js";

export function openMailer(config: Config, log: Logger): Mailer {
  return config.mail.smtpUrl ? new SmtpMailer(config.mail.smtpUrl, config.mail.from) : new FileMailer(config.mail.dir, config.mail.from, log);
}
