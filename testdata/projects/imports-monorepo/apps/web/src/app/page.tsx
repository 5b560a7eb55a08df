import { Button, Card } from '@acme/ui';
import { serverThing } from '@acme/ui/server';
import { Nope } from '@acme/ui/nope';
import type { User } from '@/lib/types';
import { auth } from '@clerk/nextjs/server';
import { format } from './format.js';
import Missing from './missing';
import dynamic from 'next/dynamic';
import UserMenu from '@/components/UserMenu';

// import { commented } from './commented-out';
const Chart = dynamic(() => import('@/components/Chart'));
const legacy = require('../legacy/config');

export default async function Page() {
  const { userId } = await auth();
  const user: User | null = null;
  return (
    <main>
      <p>Don't import this from './jsx-text'</p>
      <Button label={format(userId)} />
      <Card>{serverThing()}</Card>
      <UserMenu user={user} />
      <Chart />
      {Missing && Nope && legacy}
    </main>
  );
}
