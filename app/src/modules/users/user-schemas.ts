import { z } from 'zod';
import { isCommonPassword } from '../auth/common-passwords.js';
import { passwordPolicy } from '../auth/passwords.js';
import { fieldsParam } from '../shared/field-selection.js';
import { pageQuery } from '../shared/pagination.js';

export const newPassword = z
  .string()
  .min(passwordPolicy.minLength)
  .max(passwordPolicy.maxLength)
  .refine((password) => !isCommonPassword(password), { message: 'is one of the most common passwords' });
const fullName = z.string().trim().min(1).max(200);
const role = z.enum(['USER', 'ADMIN']);
const flag = z.enum(['true', 'false']).transform((value) => value === 'true');

export const registerRequest = z
  .strictObject({ email: z.string().trim().max(254).pipe(z.email()), password: newPassword, fullName })
  .meta({ id: 'RegisterRequest' });

export const profileUpdate = z.strictObject({ fullName: fullName.optional() }).meta({ id: 'ProfileUpdate' });

export const passwordChange = z
  .strictObject({ currentPassword: z.string().min(1).max(passwordPolicy.maxLength), newPassword })
  .meta({ id: 'PasswordChange' });

export const adminUserUpdate = z
  .strictObject({ role: role.optional(), active: z.boolean().optional() })
  .refine((body) => body.role !== undefined || body.active !== undefined, { message: 'nothing to change' })
  .meta({ id: 'AdminUserUpdate' });

export const userIdParams = z.object({ id: z.uuid() });

export const userResponse = z
  .object({
    id: z.uuid(),
    email: z.email(),
    fullName: z.string(),
    role,
    active: z.boolean(),
    verified: z.boolean(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'User' });

export const userListQuery = pageQuery.extend({
  role: role.optional(),
  active: flag.optional(),
  fields: fieldsParam(userResponse),
});

export const userReadQuery = z.object({ fields: fieldsParam(userResponse) });

export const userPage = z
  .object({ items: z.array(userResponse), nextCursor: z.string().nullable() })
  .meta({ id: 'UserPage' });
