export function track() {}
