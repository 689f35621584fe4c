/** Validation of a record's fields as the ISAO API validates them: one 422 naming every field. */
import { isRecord } from '../../core/inputs';
import { ApiError, type FieldError } from '../api-error';
import type { Json } from './records';

/** Thrown by a field parser; the Checker turns it into a `{field, message}`. */
class Invalid extends Error {}
const invalid = (message: string): never => {
  throw new Invalid(message);
};

/** A trimmed string, undefined when blank. */
const textField =
  (field: string, max = 500) =>
  (value: unknown): string | undefined => {
    if (typeof value !== 'string') return invalid(`${field} must be a string`);
    const trimmed = value.trim();
    if (trimmed.length > max) invalid(`${field} is longer than ${String(max)} characters`);
    return trimmed || undefined;
  };

/** Only the keys that were given. */
export const given = (values: Json): Json =>
  Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined));

/** Validates a value that is present; undefined results count as absent. */
type Parser<T> = (value: unknown) => T | undefined;

/** Collects field errors; `check()` throws them together as one 422. */
export class Checker {
  readonly errors: FieldError[] = [];

  constructor(
    private readonly body: Json,
    /** A partial update: nothing is required. */
    private readonly partial: boolean,
  ) {}

  read<T>(field: string, parse: Parser<T>, required = false): T | undefined {
    const value = this.body[field];
    try {
      const parsed = value === undefined || value === null ? undefined : parse(value);
      if (parsed === undefined && required && !this.partial) invalid(`${field} is required`);
      return parsed;
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      this.errors.push({ field, message: error.message });
      return undefined;
    }
  }

  text(field: string, required = false, max = 500): string | undefined {
    return this.read(field, textField(field, max), required);
  }

  phone(field: string, required = false): string | undefined {
    return this.read(
      field,
      (value) => {
        const phone = textField(field, 40)(value);
        if (phone !== undefined && !/^\+?\d{6,15}$/.test(phone.replace(/[\s().-]/g, ''))) {
          invalid(
            `${field} must be a phone number: 6 to 15 digits, optionally starting with +; spaces, dots, dashes and parentheses are allowed`,
          );
        }
        return phone;
      },
      required,
    );
  }

  email(field: string): string | undefined {
    return this.read(field, (value) => {
      const email = textField(field, 254)(value);
      if (email !== undefined && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
        invalid(`${field} must be a valid email address`);
      }
      return email;
    });
  }

  number(field: string, min: number, max = Infinity): number | undefined {
    return this.read(field, (value) => {
      if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
        const range = Number.isFinite(max)
          ? `between ${String(min)} and ${String(max)}`
          : `of at least ${String(min)}`;
        invalid(`${field} must be a number ${range}`);
      }
      return value as number;
    });
  }

  oneOf<T extends string>(field: string, allowed: readonly T[]): T | undefined {
    return this.read(field, (value) => {
      const choice = textField(field)(value);
      if (choice !== undefined && !(allowed as readonly string[]).includes(choice)) {
        invalid(`${field} must be one of: ${allowed.join(', ')}`);
      }
      return choice as T | undefined;
    });
  }

  /** An ISO-8601 date-time, kept as the canonical ISO string (UTC). */
  dateTime(field: string, required = false): string | undefined {
    return this.read(
      field,
      (value) => {
        const raw = textField(field, 40)(value);
        if (raw === undefined) return undefined;
        const at = Date.parse(raw);
        if (!/T\d{2}:\d{2}/.test(raw) || Number.isNaN(at)) {
          invalid(`${field} must be an ISO-8601 date-time, e.g. 2024-11-12T13:00:00Z`);
        }
        return new Date(at).toISOString();
      },
      required,
    );
  }

  date(field: string): string | undefined {
    return this.read(field, (value) => {
      const date = textField(field, 10)(value);
      if (date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(date)) {
        invalid(`${field} must be a date like 2024-12-15`);
      }
      return date;
    });
  }

  /** A list of non-blank strings, trimmed and without duplicates. */
  tags(field: string): string[] | undefined {
    return this.read(field, (value) => {
      if (!Array.isArray(value) || !value.every((tag) => typeof tag === 'string')) {
        return invalid(`${field} must be an array of strings`);
      }
      return [...new Set(value.map((tag) => tag.trim()).filter(Boolean))];
    });
  }

  object(field: string, required = false): Json | undefined {
    return this.read(
      field,
      (value) => (isRecord(value) ? value : invalid(`${field} must be an object`)),
      required,
    );
  }

  /** Appointment custom fields: `[{label, value, …}]`, every label a non-blank string. */
  customFields(field: string): Json[] | undefined {
    return this.read(field, (value) => {
      if (!Array.isArray(value)) return invalid(`${field} must be an array`);
      const labelled = value.filter(
        (item): item is Json =>
          isRecord(item) && typeof item.label === 'string' && item.label.trim() !== '',
      );
      if (labelled.length !== value.length) invalid('every custom field needs a non-blank label');
      return labelled;
    });
  }

  check(): void {
    if (this.errors.length > 0) throw new ApiError(422, 'Validation failed', this.errors);
  }

  /** The values read, only those given, once every field passed (else one 422 naming them all). */
  valid(values: Json): Json {
    this.check();
    return given(values);
  }
}
