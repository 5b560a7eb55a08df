import { Html } from 'next/document'
import { serverKey } from '../lib/server-key'
export default function Document() { return <Html lang={serverKey.slice(0, 0)} /> }
