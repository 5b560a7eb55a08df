import { purgeRecords } from '@/lib/purge'

// Constants and a number in the error range, but not an error answer: the helper deletes.
export async function DELETE() { // expect: unprotected-route-handler
  return purgeRecords('stale', 404)
}
