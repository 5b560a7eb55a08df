import { dehydrate, HydrationBoundary, QueryClient } from '@tanstack/react-query'
import { listNotes } from '../../lib/notes'
import { NoteList } from './note-list'

// `listNotes` turns a signed-out request away, and the query client runs it here.
export default async function NotesPage() {
  const queryClient = new QueryClient()
  await queryClient.prefetchQuery({ queryKey: ['notes'], queryFn: listNotes })
  return (
    <HydrationBoundary state={dehydrate(queryClient)}>
      <NoteList />
    </HydrationBoundary>
  )
}
