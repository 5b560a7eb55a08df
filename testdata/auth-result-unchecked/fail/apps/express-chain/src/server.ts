import express from 'express'
import { clerkMiddleware } from '@clerk/express'
import { requireSignedIn } from './lib/session'
import { createNote } from './notes'

const app = express()
app.use(express.json())
app.use(clerkMiddleware({ authorizedParties: ['https://app.example.com'] }))
app.post('/api/notes', requireSignedIn, createNote)
// The same handler mounted a second time without the check: there its result is unchecked.
app.post('/api/v1/notes', createNote)
app.listen(4000)
