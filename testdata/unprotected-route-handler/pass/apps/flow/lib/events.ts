import { prisma } from './prisma'

// The event's slug, by its slug or custom domain: public.
export async function eventSlug(slugOrDomain: string): Promise<string> {
  const row = await prisma.event.findFirst({
    where: { OR: [{ slug: slugOrDomain }, { customDomain: slugOrDomain }] },
    select: { slug: true },
  })
  if (!row) throw new Error('Event not found')
  return row.slug
}
