/** The words of the emails accounts and invitations send, with the one link each carries. */
import type { MailMessage } from "../../mail/mailer.js";

/** How long a password-reset link works, in minutes (1 hour). */
export const RESET_LINK_MINUTES = 60;
/** How long a verification link works, in minutes (3 days). */
export const VERIFY_LINK_MINUTES = 3 * 24 * 60;

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A message of paragraphs and one button-like link, as plain text and as HTML. */
function compose(to: string, subject: string, paragraphs: string[], link: string, action: string, after: string[] = []): MailMessage {
  const text = [...paragraphs, `${action}: ${link}`, ...after].join("\n\n");
  const html = [
    ...paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`),
    `<p><a href="${escapeHtml(link)}">${escapeHtml(action)}</a></p>`,
    ...after.map((p) => `<p style="color:#666">${escapeHtml(p)}</p>`),
  ].join("\n");
  return { to, subject, text, html, link };
}

export function passwordResetEmail(to: string, publicUrl: string, token: string): MailMessage {
  return compose(
    to,
    "Choose a new Loss Atlas password",
    ["Someone (we hope you) asked to choose a new password for the Loss Atlas account of this address."],
    `${publicUrl}/reset-password?token=${encodeURIComponent(token)}`,
    "Choose a new password",
    [`The link works once, for ${RESET_LINK_MINUTES} minutes. Choosing a new password signs out every device. If you did not ask, ignore this email: your password stays as it is.`],
  );
}

export function verificationEmail(to: string, publicUrl: string, token: string): MailMessage {
  return compose(
    to,
    "Verify your Loss Atlas email address",
    ["Open the link below to confirm that this address is yours. Invitations to projects sent to it can be accepted once it is verified."],
    `${publicUrl}/verify-email?token=${encodeURIComponent(token)}`,
    "Verify this address",
    [`The link works once, for ${VERIFY_LINK_MINUTES / (24 * 60)} days. If you did not create an account, ignore this email.`],
  );
}

export function invitationEmail(to: string, publicUrl: string, invitation: { projectName: string; role: string; inviterName: string | undefined }): MailMessage {
  const who = invitation.inviterName ?? "A Loss Atlas user";
  return compose(
    to,
    `${who} invited you to “${invitation.projectName}” on Loss Atlas`,
    [
      `${who} invited you to join the project “${invitation.projectName}” as ${invitation.role}.`,
      "Sign in, or create an account, with this email address to accept or decline.",
    ],
    `${publicUrl}/invitations`,
    "Open the invitation",
  );
}
