/** The console's two languages: the texts and the number, money and date formats of each. */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';

export type Locale = 'ru' | 'en';

const texts = {
  title: { ru: 'Программа уровней', en: 'Tier program' },
  skipToContent: { ru: 'К содержимому', en: 'Skip to content' },
  language: { ru: 'Язык', en: 'Language' },
  signOut: { ru: 'Выйти', en: 'Sign out' },
  navOverview: { ru: 'Обзор', en: 'Overview' },
  navGroup: { ru: 'Группа', en: 'Group' },
  navProgram: { ru: 'Программа', en: 'Program' },
  navSimulation: { ru: 'Симуляция', en: 'Simulation' },
  navWinBack: { ru: 'Возврат клиентов', en: 'Win-back' },
  tokenTitle: { ru: 'Вход для менеджера программы', en: 'Sign in as the program manager' },
  tokenLabel: { ru: 'Токен администратора', en: 'Admin token' },
  tokenHint: { ru: 'Хранится только в этой вкладке.', en: 'Kept for this tab only.' },
  tokenSubmit: { ru: 'Войти', en: 'Sign in' },
  tokenRejected: { ru: 'Токен не подошёл — введите его снова.', en: 'The token was not accepted; enter it again.' },
  loading: { ru: 'Загрузка…', en: 'Loading…' },
  notAvailable: { ru: 'Этот раздел API ещё не развёрнут на сервере', en: 'This part of the API is not deployed on the server yet' },
  error: { ru: 'Ошибка', en: 'Error' },
  retry: { ru: 'Повторить', en: 'Retry' },
  none: { ru: '—', en: '—' },
  asOf: { ru: 'На дату', en: 'As of' },
  noRunYet: { ru: 'Пересчётов ещё не было: распределение появится после первого успешного пересчёта.', en: 'No run has succeeded yet: the distribution appears after the first one.' },
  distribution: { ru: 'Распределение по уровням', en: 'Tier distribution' },
  groupsPerTier: { ru: 'Группы по уровням', en: 'Groups per tier' },
  sumPerTier: { ru: 'Сумма за 90 дней по уровням', en: '90-day sum per tier' },
  tier: { ru: 'Уровень', en: 'Tier' },
  discount: { ru: 'Скидка', en: 'Discount' },
  groups: { ru: 'Группы', en: 'Groups' },
  sum90d: { ru: 'Сумма за 90 дней', en: '90-day sum' },
  qualifyingSum90d: { ru: 'Зачётная сумма за 90 дней', en: 'Qualifying 90-day sum' },
  discountCost: { ru: 'Стоимость скидок', en: 'Discount cost' },
  discountCostHint: { ru: 'скидки на покупки окна', en: 'discounts on the window’s purchases' },
  total: { ru: 'Итого', en: 'Total' },
  recentRuns: { ru: 'Последние пересчёты', en: 'Recent runs' },
  noRuns: { ru: 'Пересчётов нет.', en: 'No runs.' },
  status: { ru: 'Статус', en: 'Status' },
  changed: { ru: 'Изменения', en: 'Changes' },
  up: { ru: 'Вверх', en: 'Up' },
  down: { ru: 'Вниз', en: 'Down' },
  started: { ru: 'Начат', en: 'Started' },
  statusRunning: { ru: 'идёт', en: 'running' },
  statusSucceeded: { ru: 'готов', en: 'succeeded' },
  statusFailed: { ru: 'ошибка', en: 'failed' },
  groupLookup: { ru: 'Поиск группы', en: 'Group lookup' },
  groupId: { ru: 'ID группы или клиента', en: 'Group or client ID' },
  lookUp: { ru: 'Найти', en: 'Look up' },
  groupNotFound: { ru: 'Группа не найдена', en: 'No such group' },
  members: { ru: 'Участники', en: 'Members' },
  tierSince: { ru: 'В уровне с', en: 'In tier since' },
  nextTier: { ru: 'Следующий уровень', en: 'Next tier' },
  remaining: { ru: 'осталось', en: 'to go' },
  topTier: { ru: 'Высший уровень', en: 'Top tier' },
  benefits: { ru: 'Привилегии', en: 'Benefits' },
  outlook: { ru: 'Прогноз', en: 'Outlook' },
  holdsUntil: { ru: 'Уровень сохраняется до', en: 'Holds the tier until' },
  toKeep: { ru: 'Купить для сохранения', en: 'To buy to keep it' },
  belowRetainSince: { ru: 'Ниже порога удержания с', en: 'Below the retain threshold since' },
  downgradeOn: { ru: 'Понижение', en: 'Downgrade on' },
  downgradeTo: { ru: 'до уровня', en: 'to' },
  floor: { ru: 'Гарантированный уровень', en: 'Tier floor' },
  floorUntil: { ru: 'до', en: 'until' },
  noFloor: { ru: 'нет', en: 'none' },
  history: { ru: 'История уровней', en: 'Tier history' },
  noHistory: { ru: 'Изменений уровня не было.', en: 'No tier changes yet.' },
  date: { ru: 'Дата', en: 'Date' },
  change: { ru: 'Изменение', en: 'Change' },
  reason: { ru: 'Причина', en: 'Reason' },
  reasonSum: { ru: 'сумма за 90 дней', en: '90-day sum' },
  reasonFloor: { ru: 'гарантированный уровень', en: 'tier floor' },
  reasonProgram: { ru: 'новая версия программы', en: 'program version' },
  program: { ru: 'Программа', en: 'Program' },
  versionInEffect: { ru: 'Действующая версия', en: 'Version in effect' },
  effectiveFrom: { ru: 'Действует с', en: 'Effective from' },
  fromTheBeginning: { ru: 'начала программы', en: 'the beginning' },
  versions: { ru: 'Версии', en: 'Versions' },
  version: { ru: 'Версия', en: 'Version' },
  createdAt: { ru: 'Создана', en: 'Created' },
  editProgram: { ru: 'Новая версия (JSON)', en: 'New version (JSON)' },
  editorHint: { ru: 'Программа целиком: уровни, пороги, политика. Ошибки показываются у поля.', en: 'The whole program: tiers, thresholds, policy. Errors show at their field.' },
  schedule: { ru: 'Запланировать версию', en: 'Schedule version' },
  simulate: { ru: 'Симулировать на базе', en: 'Simulate on the live base' },
  simulateAsOf: { ru: 'Дата симуляции', en: 'Simulation date' },
  invalidJson: { ru: 'Это не JSON', en: 'Not valid JSON' },
  issuesFound: { ru: 'Программа не принята', en: 'The program was not accepted' },
  line: { ru: 'строка', en: 'line' },
  showField: { ru: 'Показать поле', en: 'Show the field' },
  scheduled: { ru: 'Запланирована версия', en: 'Scheduled version' },
  simulation: { ru: 'Симуляция', en: 'Simulation' },
  simulations: { ru: 'Симуляции', en: 'Simulations' },
  noSimulation: { ru: 'Откройте «Программа», измените её и нажмите «Симулировать».', en: 'Open Program, change it and press Simulate.' },
  current: { ru: 'Текущая', en: 'Current' },
  candidate: { ru: 'Новая', en: 'Candidate' },
  delta: { ru: 'Разница', en: 'Delta' },
  moves: { ru: 'Переходы', en: 'Moves' },
  same: { ru: 'Без изменений', en: 'Same' },
  moveMatrix: { ru: 'Матрица переходов (строки — текущий уровень, столбцы — новый)', en: 'Move matrix (rows: current tier, columns: candidate tier)' },
  movers: { ru: 'Кто меняет уровень', en: 'Movers' },
  noMovers: { ru: 'Никто не меняет уровень.', en: 'Nobody changes tier.' },
  group: { ru: 'Группа', en: 'Group' },
  from: { ru: 'Было', en: 'From' },
  to: { ru: 'Станет', en: 'To' },
  downloadCsv: { ru: 'Скачать CSV', en: 'Download CSV' },
  shownFirst: { ru: 'Показаны первые', en: 'Showing the first' },
  of: { ru: 'из', en: 'of' },
  winBack: { ru: 'Возврат спящих контрагентов', en: 'Win-back: dormant counterparties' },
  reportAsOf: { ru: 'Дата отчёта', en: 'Report date' },
  buildReport: { ru: 'Построить отчёт', en: 'Build report' },
  reports: { ru: 'Отчёты', en: 'Reports' },
  segments: { ru: 'Сегменты', en: 'Segments' },
  winBackRate: { ru: 'Возврат за 30 дней', en: 'Returned in 30 days' },
  dormant30DaysAgo: { ru: 'спали 30 дней назад', en: 'dormant 30 days ago' },
  returned: { ru: 'вернулись', en: 'returned' },
  segment: { ru: 'Сегмент', en: 'Segment' },
  rankedList: { ru: 'Спящие группы по сумме за год', en: 'Dormant groups by 365-day sum' },
  lastOrder: { ru: 'Последний заказ', en: 'Last order' },
  orders365: { ru: 'Заказов за год', en: 'Orders, 365 d' },
  sum365: { ru: 'Сумма за год', en: '365-day sum' },
  toLowestPaidTier: { ru: 'До первого платного уровня', en: 'To the lowest paid tier' },
  rows: { ru: 'Строк', en: 'Rows' },
  open: { ru: 'Открыть', en: 'Open' },
} satisfies Record<string, Record<Locale, string>>;

export type TextKey = keyof typeof texts;

/** Number, money, date and text formatting for one locale; money arrives as the API's decimal strings. */
export interface Formatter {
  locale: Locale;
  t(key: TextKey): string;
  /** `175 000,00 ₽` (ru) or `RUB 175,000.00` (en), exact: the decimal string is never a float. */
  money(amount: string | null | undefined): string;
  /** Whole numbers in short form for chart axes and labels (`1,2 млн`, `1.2M`). */
  compact(value: number): string;
  count(value: number): string;
  percent(value: number): string;
  /** A business date `YYYY-MM-DD` shown in the locale's form. */
  date(date: string | null | undefined): string;
  dateTime(iso: string | null | undefined): string;
}

/** Builds the formatter of a locale for the program currency. */
export function formatter(locale: Locale, currency: string): Formatter {
  const tag = locale === 'ru' ? 'ru-RU' : 'en-US';
  const moneyFormat = new Intl.NumberFormat(tag, {
    style: 'currency',
    currency,
    currencyDisplay: locale === 'ru' ? 'symbol' : 'code',
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  });
  const compactFormat = new Intl.NumberFormat(tag, { notation: 'compact', maximumFractionDigits: 1 });
  const countFormat = new Intl.NumberFormat(tag);
  const percentFormat = new Intl.NumberFormat(tag, { style: 'percent', maximumFractionDigits: 2 });
  const dateFormat = new Intl.DateTimeFormat(tag, { dateStyle: 'medium', timeZone: 'UTC' });
  const dateTimeFormat = new Intl.DateTimeFormat(tag, { dateStyle: 'short', timeStyle: 'short' });
  const dash = '—';
  return {
    locale,
    t: (key) => texts[key][locale],
    // Intl formats a decimal string exactly (no float on the way), as ES2023 allows.
    money: (amount) => (amount == null ? dash : moneyFormat.format(amount as `${number}`)),
    compact: (value) => compactFormat.format(value),
    count: (value) => countFormat.format(value),
    percent: (value) => percentFormat.format(value / 100),
    date: (date) => (date ? dateFormat.format(new Date(`${date}T00:00:00Z`)) : dash),
    dateTime: (iso) => (iso ? dateTimeFormat.format(new Date(iso)) : dash),
  };
}

export const FormatContext = createContext<Formatter>(formatter('ru', 'RUB'));

/** The formatter of the language the manager chose. */
export function useFormat(): Formatter {
  return useContext(FormatContext);
}
