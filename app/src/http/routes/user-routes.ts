import { selectFields, selectPageFields } from '../../modules/shared/field-selection.js';
import { decodeCursor } from '../../modules/shared/pagination.js';
import {
  adminUserUpdate,
  passwordChange,
  profileUpdate,
  registerRequest,
  userIdParams,
  userListQuery,
  userPage,
  userReadQuery,
  userResponse,
} from '../../modules/users/user-schemas.js';
import {
  administerUser,
  changePassword,
  getUser,
  listUsers,
  register,
  type UserDeps,
  updateProfile,
} from '../../modules/users/user-service.js';
import { type ApiRoute, route } from '../api/api-route.js';
import { apiPrefix } from './paths.js';

export function userRoutes(deps: UserDeps): ApiRoute[] {
  const tag = 'users';
  const users = `${apiPrefix}/users`;
  return [
    route({
      method: 'post',
      path: users,
      operationId: 'register',
      discloses: 'users',
      summary: 'Register a new user (when registration is open)',
      tag,
      access: 'public',
      body: registerRequest,
      success: { status: 201, description: 'The new user', schema: userResponse },
      errors: [403, 409, 503],
      handle: ({ body, meta }) => register(deps, body, meta),
    }),
    route({
      method: 'get',
      path: `${users}/me`,
      operationId: 'getMe',
      discloses: 'users',
      summary: 'The caller',
      tag,
      access: 'user',
      query: userReadQuery,
      success: { status: 200, description: 'The caller', schema: userResponse },
      errors: [404],
      // Trimmed here, at the edge: what the service (and the read cache under it) holds stays whole.
      handle: async ({ principal, query }) =>
        selectFields(await getUser(deps, principal.userId), query.fields),
    }),
    route({
      method: 'patch',
      path: `${users}/me`,
      operationId: 'updateMe',
      discloses: 'users',
      summary: "Change the caller's profile",
      tag,
      access: 'user',
      body: profileUpdate,
      success: { status: 200, description: 'The updated caller', schema: userResponse },
      errors: [404],
      handle: ({ principal, body }) => updateProfile(deps, principal, body),
    }),
    route({
      method: 'post',
      path: `${users}/me/password`,
      operationId: 'changePassword',
      summary: 'Change the password; every other session of the caller ends',
      tag,
      access: 'user',
      sessionOnly: true,
      body: passwordChange,
      success: { status: 204, description: 'Changed' },
      errors: [404],
      handle: ({ principal, body, meta }) => changePassword(deps, principal, body, meta),
    }),
    route({
      method: 'get',
      path: users,
      operationId: 'listUsers',
      discloses: 'users',
      summary: 'All users, newest first (admin)',
      tag,
      access: 'admin',
      query: userListQuery,
      success: { status: 200, description: 'A page of users', schema: userPage },
      handle: async ({ query }) =>
        selectPageFields(
          await listUsers(deps, { ...query, after: decodeCursor(query.cursor) }),
          query.fields,
        ),
    }),
    route({
      method: 'get',
      path: `${users}/{id}`,
      operationId: 'getUser',
      discloses: 'users',
      summary: 'One user (admin)',
      tag,
      access: 'admin',
      params: userIdParams,
      query: userReadQuery,
      success: { status: 200, description: 'The user', schema: userResponse },
      errors: [404],
      handle: async ({ params, query }) => selectFields(await getUser(deps, params.id), query.fields),
    }),
    route({
      method: 'patch',
      path: `${users}/{id}`,
      operationId: 'administerUser',
      discloses: 'users',
      summary: "Change a user's role or active state (admin); their sessions end",
      tag,
      access: 'admin',
      params: userIdParams,
      body: adminUserUpdate,
      success: { status: 200, description: 'The updated user', schema: userResponse },
      errors: [404, 409],
      handle: ({ principal, params, body, meta }) => administerUser(deps, principal, params.id, body, meta),
    }),
    route({
      method: 'delete',
      path: `${users}/{id}`,
      operationId: 'deactivateUser',
      summary: 'Deactivate a user (admin); their sessions end. Rows are kept.',
      tag,
      access: 'admin',
      params: userIdParams,
      success: { status: 204, description: 'Deactivated' },
      errors: [404, 409],
      handle: async ({ principal, params, meta }) => {
        await administerUser(deps, principal, params.id, { active: false }, meta);
      },
    }),
  ];
}
