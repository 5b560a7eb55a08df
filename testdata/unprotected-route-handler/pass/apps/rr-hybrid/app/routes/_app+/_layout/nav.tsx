// A component next to the layout's route module: no route of its own.
export function Nav() {
  return null
}
