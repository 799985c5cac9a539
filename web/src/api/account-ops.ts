/**
 * The GraphQL operations of the account page's sessions, password and deletion, typed like those
 * in ops.ts (`npm run codegen`). Literal strings only: codegen reads them as written.
 */
import { graphql } from "./gql";

export const SESSIONS = graphql(`
  query Sessions($after: String) {
    sessions(first: 50, after: $after) {
      nodes { id browser userAgent lastAddress createdAt lastSeenAt current }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

export const END_SESSION = graphql(`
  mutation EndSession($id: ID!) { endSession(id: $id) { ok error { ...MutationErrorFields } session { id current } } }
`);

export const END_OTHER_SESSIONS = graphql(`
  mutation EndOtherSessions { endOtherSessions { ok error { ...MutationErrorFields } ended } }
`);

export const CHANGE_PASSWORD = graphql(`
  mutation ChangePassword($input: ChangePasswordInput!) { changePassword(input: $input) { ok error { ...MutationErrorFields } ended } }
`);

export const MY_SHARED_PROJECTS = graphql(`
  query MySharedProjects {
    mySharedProjects(first: 100) { nodes { id name memberCount } pageInfo { hasNextPage } }
  }
`);

export const PROJECT_MEMBER_LIST = graphql(`
  query ProjectMemberList($id: ID!) {
    project(id: $id) { members(first: 100) { nodes { role user { id name email } } } }
  }
`);

export const TRANSFER_OWNERSHIP = graphql(`
  mutation TransferOwnership($projectId: ID!, $userId: ID!) {
    transferProjectOwnership(projectId: $projectId, userId: $userId) { ok error { ...MutationErrorFields } project { id } }
  }
`);

export const DELETE_ACCOUNT = graphql(`
  mutation DeleteAccount($input: DeleteAccountInput!) { deleteAccount(input: $input) { ok error { ...MutationErrorFields } deletedProjects } }
`);

export const SIGN_IN_OPTIONS = graphql(`
  query SignInOptions { signInOptions { password providers { id name startPath } } }
`);
