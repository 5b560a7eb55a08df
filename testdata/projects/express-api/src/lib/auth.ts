import { requireAuth } from '@clerk/express';

export const guard = requireAuth();
