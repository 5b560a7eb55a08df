import { createServerFn } from '@tanstack/react-start'
import { catalog } from './catalog'

// Logging is no work, but the module data it returns is.
export const dumpCatalog = createServerFn({ method: 'GET' }).handler(() => { // expect: unprotected-route-handler
  console.log('dumping catalog')
  return catalog
})
