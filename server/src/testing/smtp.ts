/**
 * A real SMTP server for tests (smtp-server) on a free loopback port: every message it receives is
 * parsed (mailparser) and kept, and tests wait for the one they expect.
 */
import { type ParsedMail, simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import { untilDefined } from "./wait.js";

export interface ReceivedMail {
  to: string;
  subject: string;
  text: string;
  /** The first link to the service in the text. */
  link: string | undefined;
}

export interface TestSmtp {
  /** `smtp://` URL for SMTP_URL. */
  url: string;
  received: ReceivedMail[];
  /** Waits for a message to `to` whose subject contains `subject`, and returns the newest. */
  waitFor(to: string, subject: string): Promise<ReceivedMail>;
  stop(): Promise<void>;
}

const addresses = (parsed: ParsedMail) =>
  (Array.isArray(parsed.to) ? parsed.to : parsed.to ? [parsed.to] : []).flatMap((group) => group.value.map((a) => a.address ?? ""));

export async function startTestSmtp(): Promise<TestSmtp> {
  const received: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          const text = parsed.text ?? "";
          for (const to of addresses(parsed)) received.push({ to, subject: parsed.subject ?? "", text, link: /https?:\/\/\S+/.exec(text)?.[0] });
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve((server.server.address() as { port: number }).port));
  });
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    waitFor: (to, subject) =>
      untilDefined(`an email to ${to} about "${subject}"`, async () => received.filter((m) => m.to === to && m.subject.includes(subject)).at(-1)),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
