/**
 * Handing a project over: the owner names one of its members, who becomes the owner; the former
 * owner stays on as an editor (the new owner may remove them). This is how an account that owns
 * shared projects can be deleted without deleting them.
 */
import type { Pool } from "../../db/pool.js";
import { transaction } from "../../db/transaction.js";
import { badInput } from "../../domain/errors.js";
import { isUuid } from "../../domain/ids.js";
import type { Actor } from "../accounts/actor.js";
import type { ProjectRecord, ProjectsService } from "./projects.service.js";

export class OwnershipService {
  constructor(
    private readonly pool: Pool,
    private readonly projects: ProjectsService,
  ) {}

  /** Makes member `userId` the owner of the project (owner only); returns the project as its former owner now sees it. */
  async transfer(actor: Actor, projectId: string, userId: string): Promise<ProjectRecord> {
    const project = await this.projects.access(actor, projectId, "manage");
    const notMember = badInput("userId", "The new owner must be a member of the project");
    if (!isUuid(userId)) throw notMember;
    const newOwner = userId.toLowerCase();
    await transaction(this.pool, async (client) => {
      // Lock the project so two hand-overs (or a deletion) cannot interleave.
      const locked = await client.query(`SELECT 1 FROM projects WHERE id = $1 AND owner_id = $2 FOR UPDATE`, [project.id, project.ownerId]);
      if (locked.rowCount === 0) throw badInput("projectId", "The project changed owner meanwhile");
      const member = await client.query(`DELETE FROM project_members WHERE project_id = $1 AND user_id = $2`, [project.id, newOwner]);
      if (member.rowCount === 0) throw notMember;
      await client.query(`UPDATE projects SET owner_id = $2, updated_at = now() WHERE id = $1`, [project.id, newOwner]);
      await client.query(`INSERT INTO project_members (project_id, user_id, role) VALUES ($1, $2, 'editor')`, [project.id, project.ownerId]);
    });
    return this.projects.access(actor, project.id, "read");
  }
}
