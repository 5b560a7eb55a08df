import { Hono } from 'hono'
import { sessionMiddleware } from './auth'
import notes from './routes/notes'

const app = new Hono()
app.use('*', sessionMiddleware())
app.route('/api/notes', notes)

// Text written out in the source and never changed: the answer is a constant.
const greetings = ['Hello from the notes API', 'Docs live at /docs'] as const

app.get('/', (c) => c.text(greetings.join('\n\n')))

export default app
