import { createServerFn } from '@tanstack/react-start'
import { getWebRequest } from '@tanstack/react-start/server'
import { db } from './db'

// Reading the request is no work, but the notes of whoever its header names are.
export const headerNotes = createServerFn({ method: 'GET' }).handler(async () => { // expect: unprotected-route-handler
  const request = getWebRequest()
  return db.notes.forUser(request.headers.get('x-user-id') ?? '')
})
