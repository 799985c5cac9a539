/**
 * Membership by invitation. The owner names an email and a role; the person who signs in (or signs
 * up) with that email sees the invitation and accepts or declines it. The owner's answer is the
 * same whether the email has an account or not, so inviting reveals nothing about who is signed
 * up, and nobody becomes a member without saying yes.
 */
import { z } from "zod";
import type { Pool } from "../../db/pool.js";
import { assertId } from "../../domain/ids.js";
import { type Page, type PageRequest, pageWindow, toPage } from "../../domain/pagination.js";
import { DomainError, badInput, notFound } from "../../domain/errors.js";
import { ErrorCode } from "../../errors.js";
import type { Outbox } from "../../mail/outbox.js";
import { invitationEmail } from "../accounts/emails.js";
import { parseInput } from "../../domain/validation.js";
import type { Actor } from "../accounts/actor.js";
import type { MemberRole, ProjectsService } from "./projects.service.js";
import { requireUser } from "./projects.service.js";

export interface InvitationRecord {
  id: string;
  projectId: string;
  projectName: string;
  email: string;
  role: MemberRole;
  invitedBy: string | null;
  createdAt: Date;
}

interface InvitationRow {
  id: string;
  project_id: string;
  project_name: string;
  email: string;
  role: MemberRole;
  invited_by: string | null;
  created_at: Date;
}

const toInvitation = (row: InvitationRow): InvitationRecord => ({
  id: row.id,
  projectId: row.project_id,
  projectName: row.project_name,
  email: row.email,
  role: row.role,
  invitedBy: row.invited_by,
  createdAt: row.created_at,
});

const COLUMNS = `i.id, i.project_id, p.name AS project_name, i.email, i.role, i.invited_by, i.created_at`;
const emailSchema = z.string().trim().toLowerCase().max(254).email();

export class InvitationsService {
  constructor(
    private readonly pool: Pool,
    private readonly projects: ProjectsService,
    /** Where invitation emails go out, and the address their links start with. */
    private readonly mail?: { outbox: Outbox; publicUrl: () => string },
  ) {}

  /**
   * Invites an email to the project with a role (owner only), or changes the role of a pending
   * invitation. The answer never depends on whether the email has an account.
   */
  async invite(actor: Actor, projectId: string, email: string, role: MemberRole): Promise<InvitationRecord> {
    const project = await this.projects.access(actor, projectId, "manage");
    const address = parseInput(emailSchema, email, "email", "Enter a valid email address");
    if (actor.kind === "user" && actor.user.email === address) throw badInput("email", "The owner already has every right on the project");
    // Members are listed to the owner with their emails, so saying so reveals nothing new.
    const member = await this.pool.query(
      `SELECT 1 FROM project_members m JOIN users u ON u.id = m.user_id WHERE m.project_id = $1 AND u.email = $2`,
      [project.id, address],
    );
    if (member.rowCount) throw badInput("email", "This person is already a member; change their role in the members list");
    const result = await this.pool.query<InvitationRow>(
      `WITH i AS (
         INSERT INTO project_invitations (project_id, email, role, invited_by) VALUES ($1, $2, $3, $4)
         ON CONFLICT (project_id, email) DO UPDATE SET role = excluded.role
         RETURNING *)
       SELECT ${COLUMNS} FROM i JOIN projects p ON p.id = i.project_id`,
      [project.id, address, role, requireUser(actor)],
    );
    const invitation = toInvitation(result.rows[0]!);
    // Sent whether or not the address has an account, after the answer: inviting reveals nothing.
    const mail = this.mail;
    const inviterName = actor.kind === "user" ? actor.user.name : undefined;
    mail?.outbox.post("invitation", async () =>
      invitationEmail(address, mail.publicUrl(), { projectName: invitation.projectName, role: invitation.role, inviterName }),
    );
    return invitation;
  }

  /** Pending invitations of a project (owner only), newest first. */
  async ofProject(actor: Actor, projectId: string, args: PageRequest): Promise<Page<InvitationRecord>> {
    const project = await this.projects.access(actor, projectId, "manage");
    const { limit, cursor, first } = pageWindow(args);
    const result = await this.pool.query<InvitationRow>(
      `SELECT ${COLUMNS} FROM project_invitations i JOIN projects p ON p.id = i.project_id
        WHERE i.project_id = $1 AND ($2::timestamptz IS NULL OR (i.created_at, i.id) < ($2, $3::uuid))
        ORDER BY i.created_at DESC, i.id DESC LIMIT $4`,
      [project.id, cursor?.createdAt ?? null, cursor?.id ?? null, limit],
    );
    return toPage(result.rows.map(toInvitation), first);
  }

  /** Invitations addressed to the signed-in user's email, newest first. */
  async mine(actor: Actor, args: PageRequest): Promise<Page<InvitationRecord>> {
    requireUser(actor);
    const address = actor.kind === "user" ? actor.user.email : "";
    const { limit, cursor, first } = pageWindow(args);
    const result = await this.pool.query<InvitationRow>(
      `SELECT ${COLUMNS} FROM project_invitations i JOIN projects p ON p.id = i.project_id
        WHERE i.email = $1 AND ($2::timestamptz IS NULL OR (i.created_at, i.id) < ($2, $3::uuid))
        ORDER BY i.created_at DESC, i.id DESC LIMIT $4`,
      [address, cursor?.createdAt ?? null, cursor?.id ?? null, limit],
    );
    return toPage(result.rows.map(toInvitation), first);
  }

  /** The invitee says yes: they become a member with the invited role. Returns the project id. */
  async accept(actor: Actor, invitationId: string): Promise<InvitationRecord> {
    const invitation = await this.addressedTo(actor, invitationId);
    // The invitation was sent to an address: only someone who proved they read it may join by it.
    const verified = await this.pool.query(`SELECT 1 FROM users WHERE id = $1 AND email_verified_at IS NOT NULL`, [requireUser(actor)]);
    if (!verified.rowCount) {
      throw new DomainError(ErrorCode.EMAIL_NOT_VERIFIED, "Verify your email address first: open the link we sent you, or send it again from your account page");
    }
    const client = await this.pool.connect();
    try {
      await client.query("BEGIN");
      await client.query(
        `INSERT INTO project_members (project_id, user_id, role) VALUES ($1, $2, $3)
         ON CONFLICT (project_id, user_id) DO UPDATE SET role = excluded.role`,
        [invitation.projectId, requireUser(actor), invitation.role],
      );
      await client.query(`DELETE FROM project_invitations WHERE id = $1`, [invitation.id]);
      await client.query("COMMIT");
    } catch (error) {
      await client.query("ROLLBACK");
      throw error;
    } finally {
      client.release();
    }
    return invitation;
  }

  /** The invitee says no; the invitation goes. */
  async decline(actor: Actor, invitationId: string): Promise<InvitationRecord> {
    const invitation = await this.addressedTo(actor, invitationId);
    await this.pool.query(`DELETE FROM project_invitations WHERE id = $1`, [invitation.id]);
    return invitation;
  }

  /** The owner withdraws a pending invitation. */
  async withdraw(actor: Actor, invitationId: string): Promise<InvitationRecord> {
    const invitation = await this.byId(invitationId);
    if (!invitation) throw notFound("Invitation");
    await this.projects.access(actor, invitation.projectId, "manage", undefined, "Invitation");
    await this.pool.query(`DELETE FROM project_invitations WHERE id = $1`, [invitation.id]);
    return invitation;
  }

  /** An invitation to the signed-in user; anyone else's answers like a missing one. */
  private async addressedTo(actor: Actor, invitationId: string): Promise<InvitationRecord> {
    requireUser(actor);
    const invitation = await this.byId(invitationId);
    if (!invitation || actor.kind !== "user" || invitation.email !== actor.user.email) throw notFound("Invitation");
    return invitation;
  }

  private async byId(invitationId: string): Promise<InvitationRecord | undefined> {
    const result = await this.pool.query<InvitationRow>(`SELECT ${COLUMNS} FROM project_invitations i JOIN projects p ON p.id = i.project_id WHERE i.id = $1`, [
      assertId(invitationId, "Invitation"),
    ]);
    return result.rows[0] ? toInvitation(result.rows[0]) : undefined;
  }
}
