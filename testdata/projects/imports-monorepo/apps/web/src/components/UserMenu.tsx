'use client';

import { useUser } from '@clerk/nextjs';
import { clerkConfig } from '@/lib/clerk-config';

export default function UserMenu() {
  const { user } = useUser();
  return <div data-config={clerkConfig.name}>{user?.id}</div>;
}
