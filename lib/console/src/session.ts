/** What the console learns once per sign-in: the program's currency, default language and tier names. */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { useFormat } from './i18n';

export interface Session {
  currency: string;
  defaultLocale: 'ru' | 'en';
  tierNames: Map<string, { ru: string; en: string }>;
  /** The as-of date of the latest succeeded run (a default for simulations and reports). */
  latestAsOf: string | null;
}

export const SessionContext = createContext<Session>({ currency: 'RUB', defaultLocale: 'ru', tierNames: new Map(), latestAsOf: null });

/** A tier's name in the chosen language (its id when the program no longer has it). */
export function useTierName(): (tierId: string | null | undefined) => string {
  const { tierNames } = useContext(SessionContext);
  const format = useFormat();
  return (tierId) => (tierId ? (tierNames.get(tierId)?.[format.locale] ?? tierId) : '—');
}

export function useSession(): Session {
  return useContext(SessionContext);
}
