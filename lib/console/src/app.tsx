import { useEffect, useState } from 'preact/hooks';
import { ApiError, getJson, token, whenUnauthorized } from './api';
import { ErrorNote } from './components';
import { FormatContext, formatter, useFormat, type Locale } from './i18n';
import { GroupScreen } from './screens/group';
import { OverviewScreen } from './screens/overview';
import { ProgramScreen } from './screens/program';
import { SimulationScreen } from './screens/simulation';
import { WinBackScreen } from './screens/winback';
import { SessionContext, type Session } from './session';
import type { Overview } from './types';

const LOCALE_KEY = 'tier-console.locale';
/** The program's language, remembered so a token prompt after a 401 keeps speaking it. */
const PROGRAM_LOCALE_KEY = 'tier-console.program-locale';

type Screen = 'overview' | 'group' | 'program' | 'simulation' | 'winback';
interface Route {
  screen: Screen;
  id?: string;
}

const SCREENS: { screen: Screen; text: Parameters<ReturnType<typeof useFormat>['t']>[0] }[] = [
  { screen: 'overview', text: 'navOverview' },
  { screen: 'group', text: 'navGroup' },
  { screen: 'program', text: 'navProgram' },
  { screen: 'simulation', text: 'navSimulation' },
  { screen: 'winback', text: 'navWinBack' },
];

/** `#/group/G-7` → the group screen for G-7; anything unknown → the overview. */
function parseRoute(hash: string): Route {
  const [, screen, id] = /^#\/([a-z]+)(?:\/(.+))?$/.exec(hash) ?? [];
  const known = SCREENS.find((entry) => entry.screen === screen);
  return known ? { screen: known.screen, ...(id ? { id: decodeURIComponent(id) } : {}) } : { screen: 'overview' };
}

function sessionFrom(overview: Overview): Session {
  return {
    currency: overview.currency,
    defaultLocale: overview.locale,
    tierNames: new Map(overview.tiers.map((tier) => [tier.id, tier.name])),
    latestAsOf: overview.asOf,
  };
}

/** The console: the token prompt until a token is accepted, then the screens behind a hash router. */
export function App() {
  const [session, setSession] = useState<Session | null>(null);
  const [signIn, setSignIn] = useState<{ rejected: boolean; failure?: Error }>({ rejected: false });
  // A token kept from earlier in this tab is checked before the prompt would show (and steal the focus).
  const [checking, setChecking] = useState(() => token.get() !== null);
  const [chosenLocale, setChosenLocale] = useState<Locale | null>(() => sessionStorage.getItem(LOCALE_KEY) as Locale | null);
  const [route, setRoute] = useState<Route>(() => parseRoute(location.hash));
  const locale: Locale =
    chosenLocale ?? session?.defaultLocale ?? (sessionStorage.getItem(PROGRAM_LOCALE_KEY) as Locale | null) ?? (navigator.language.startsWith('ru') ? 'ru' : 'en');
  const format = formatter(locale, session?.currency ?? 'RUB');

  /** Checks the token by reading the overview; after a typed sign-in, focus moves to the screen that opens. */
  const startSession = async (afterSignIn: boolean) => {
    try {
      const overview = await getJson<Overview>('/admin/overview');
      sessionStorage.setItem(PROGRAM_LOCALE_KEY, overview.locale);
      setSession(sessionFrom(overview));
      setSignIn({ rejected: false });
      if (afterSignIn) document.getElementById('main')?.focus();
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 401)) setSignIn({ rejected: false, failure: error as Error });
    } finally {
      setChecking(false);
    }
  };

  useEffect(() => {
    whenUnauthorized(() => {
      setSession(null);
      setSignIn({ rejected: true });
    });
    const onHash = () => {
      setRoute(parseRoute(location.hash));
      // As a page load would: the next Tab starts from the new screen, and screen readers announce it.
      document.getElementById('main')?.focus();
    };
    addEventListener('hashchange', onHash);
    if (token.get()) void startSession(false);
    return () => removeEventListener('hashchange', onHash);
  }, []);

  useEffect(() => {
    document.documentElement.lang = locale;
    document.title = format.t('title');
  }, [locale]);

  const chooseLocale = (next: Locale) => {
    sessionStorage.setItem(LOCALE_KEY, next);
    setChosenLocale(next);
  };
  const navigate = (hash: string) => {
    location.hash = hash;
  };
  const signOut = () => {
    token.clear();
    setSession(null);
    setSignIn({ rejected: false });
  };

  return (
    <FormatContext.Provider value={format}>
      <a class="skip-link" href="#main">
        {format.t('skipToContent')}
      </a>
      <header class="top">
        <div class="brand">{format.t('title')}</div>
        {session && (
          <nav aria-label={format.t('title')}>
            <ul>
              {SCREENS.map(({ screen, text }) => (
                <li key={screen}>
                  <a href={`#/${screen}`} aria-current={route.screen === screen ? 'page' : undefined}>
                    {format.t(text)}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
        )}
        <div class="top-tools">
          <label for="locale">{format.t('language')}</label>
          <select id="locale" value={locale} onChange={(event) => chooseLocale(event.currentTarget.value as Locale)}>
            <option value="ru">Русский</option>
            <option value="en">English</option>
          </select>
          {session && (
            <button type="button" class="secondary" onClick={signOut}>
              {format.t('signOut')}
            </button>
          )}
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {session ? (
          <SessionContext.Provider value={session}>
            {route.screen === 'overview' && <OverviewScreen />}
            {route.screen === 'group' && <GroupScreen groupId={route.id} navigate={navigate} />}
            {route.screen === 'program' && <ProgramScreen navigate={navigate} />}
            {route.screen === 'simulation' && <SimulationScreen simulationId={route.id} />}
            {route.screen === 'winback' && <WinBackScreen reportId={route.id} navigate={navigate} />}
          </SessionContext.Provider>
        ) : checking ? (
          <p class="muted">{format.t('loading')}</p>
        ) : (
          <TokenPrompt rejected={signIn.rejected} failure={signIn.failure} onToken={() => startSession(true)} />
        )}
      </main>
    </FormatContext.Provider>
  );
}

function TokenPrompt({ rejected, failure, onToken }: { rejected: boolean; failure?: Error; onToken: () => Promise<void> }) {
  const format = useFormat();
  const [value, setValue] = useState('');
  return (
    <form
      class="token-form"
      onSubmit={(event) => {
        event.preventDefault();
        token.set(value.trim());
        void onToken();
      }}
    >
      <h1>{format.t('tokenTitle')}</h1>
      {rejected && (
        <p class="note note-error" role="alert" id="token-error">
          {format.t('tokenRejected')}
        </p>
      )}
      {failure && <ErrorNote error={failure} />}
      <label for="token">{format.t('tokenLabel')}</label>
      <input
        id="token"
        type="password"
        autoComplete="current-password"
        value={value}
        onInput={(event) => setValue(event.currentTarget.value)}
        aria-describedby={rejected ? 'token-error token-hint' : 'token-hint'}
        required
        autoFocus
      />
      <p class="muted" id="token-hint">
        {format.t('tokenHint')}
      </p>
      <button type="submit">{format.t('tokenSubmit')}</button>
    </form>
  );
}
