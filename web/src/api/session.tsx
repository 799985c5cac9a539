/** Who is signed in, for the whole app. */
import { createContext, type ReactNode, useCallback, useContext, useEffect, useState } from "react";
import { request } from "./graphql";
import { ME } from "./ops";
import type { User } from "./types";

interface Session {
  /** undefined while the first check runs; null when signed out. */
  user: User | null | undefined;
  setUser(user: User | null): void;
  refresh(): Promise<void>;
}

const SessionContext = createContext<Session>({ user: null, setUser: () => {}, refresh: async () => {} });

export function SessionProvider({ children, initialUser }: { children: ReactNode; initialUser?: User | null }) {
  const [user, setUser] = useState<User | null | undefined>(initialUser);
  const refresh = useCallback(async () => {
    try {
      setUser((await request(ME)).me);
    } catch {
      setUser(null);
    }
  }, []);
  useEffect(() => {
    if (initialUser === undefined) void refresh();
  }, [initialUser, refresh]);
  return <SessionContext.Provider value={{ user, setUser, refresh }}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  return useContext(SessionContext);
}
