import "server-only"; // expect: server-only-in-client
export const formatSession = () => 'signed out'
