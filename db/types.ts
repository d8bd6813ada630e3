import { p, Type, type EntityProperty, type Platform } from '@mikro-orm/core';
import { formatScaled, parseScaled } from '../src/money/exact.ts';

/** Integer in code, `numeric(precision, scale)` in SQL: kopecks (scale 2) or thousandths of m³ (scale 3). */
abstract class ScaledIntegerType extends Type<number, string> {
  protected abstract readonly scale: number;
  protected abstract readonly precision: number;

  override convertToDatabaseValue(value: number | string | null | undefined): string {
    if (value === null || value === undefined) return value as unknown as string;
    if (typeof value === 'string') return value;
    return formatScaled(value, this.scale);
  }

  override convertToJSValue(value: string | number | null | undefined): number {
    if (value === null || value === undefined) return value as unknown as number;
    if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
    const parsed = parseScaled(String(value), this.scale);
    if (parsed === null) throw new RangeError(`not an exact numeric(${this.precision},${this.scale}) value`);
    return parsed;
  }

  override compareAsType(): string {
    return 'number';
  }

  override ensureComparable(): boolean {
    return false;
  }

  override getColumnType(_prop: EntityProperty, _platform: Platform): string {
    return `numeric(${this.precision},${this.scale})`;
  }
}

/** Money: integer kopecks in code, numeric(14,2) roubles in SQL. */
export class KopecksType extends ScaledIntegerType {
  protected readonly scale = 2;
  protected readonly precision = 14;
}

/** Volume: integer thousandths of m³ in code, numeric(14,3) m³ in SQL. */
export class MilliType extends ScaledIntegerType {
  protected readonly scale = 3;
  protected readonly precision = 14;
}

/** Property builders for entities: `price: kopecks()`, `volume: milli()`. */
export const kopecks = () => p.type(KopecksType).$type<number>();
export const milli = () => p.type(MilliType).$type<number>();
