import year2024 from './data/production-calendar-2024.json';
import year2025 from './data/production-calendar-2025.json';
import year2026 from './data/production-calendar-2026.json';
import year2027 from './data/production-calendar-2027.json';
import { loadYear, ProductionCalendarYear } from './production-calendar';

/** The years shipped with the library, validated at import; more can be loaded with loadYear. */
export const bundledYears: readonly ProductionCalendarYear[] = [year2024, year2025, year2026, year2027].map(loadYear);
