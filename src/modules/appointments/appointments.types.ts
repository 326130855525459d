/**
 * 预约: the views the appointment operations return (JSON API and pages alike) and their inputs. Times of day
 * are 'HH:MM' (China time), days 'YYYY-MM-DD', instants ISO 8601 strings.
 */
import type { AppointmentKind, BookingStatus } from '../../db/schema.ts';
import type { PersonPrincipal } from '../access/principal.ts';

export type { AppointmentKind, BookingStatus };

/** The signed-in person an operation acts for (a PersonPrincipal will do): always themself, never a 代办 principal. */
export type AppointmentPerson = Pick<PersonPrincipal, 'accountId' | 'name' | 'idNumber'>;

export const APPOINTMENT_KINDS: Record<AppointmentKind, string> = {
  marriage: '婚姻登记',
  hospital: '医院挂号',
  window: '政务服务窗口',
  scenic: '景区分时预约',
};

export const BOOKING_STATUSES: Record<BookingStatus, string> = {
  held: '待对方确认',
  confirmed: '预约成功',
  cancelled: '已取消',
  expired: '已失效（对方未按时确认）',
  checked_in: '已签到',
  no_show: '爽约',
};

/** A booking still holding its place and its parties' one-per-service allowance. */
export const ACTIVE_STATUSES: readonly BookingStatus[] = ['held', 'confirmed'];

export const PARTY_ROLES = { booker: '预约人', partner: '另一方' } as const;

/** Limits of the settings a department administrator may give a service (the table's CHECKs, plus shape). */
export const SERVICE_LIMITS = {
  name: 100,
  place: 200,
  notes: 2000,
  sessions: 12,
  slotMinutes: [5, 480],
  capacity: [1, 100_000],
  windowDays: [0, 90],
  holdMinutes: [1, 1440],
  cancelHours: [0, 168],
  noShowLimit: [1, 100],
  noShowDays: [1, 3650],
  barDays: [0, 3650],
  closureReason: 200,
  cancelReason: 200,
  /** Days one availability request may span. */
  availabilityDays: 62,
} as const;

export const SERVICE_CODE_PATTERN = '^[a-z0-9-]{3,64}$';

export interface Session {
  start: string; // 'HH:MM'
  end: string; // 'HH:MM' ('24:00' = midnight)
}

/** A bookable service with all its settings (public: citizens see the rules they book under). */
export interface ServiceView {
  code: string;
  kind: AppointmentKind;
  kindLabel: string;
  name: string;
  departmentId: number;
  departmentName: string;
  regionCode: string;
  itemCode: string | null;
  place: string;
  notes: string;
  openDays: 'working' | 'every'; // official working days, or every day
  sessions: Session[];
  slotMinutes: number;
  capacity: number; // places per slot unless a slot was changed — 号源
  windowDays: number; // a day opens this many days ahead …
  opensAt: string; // … at this time ('HH:MM')
  parties: number; // 2: both must confirm (marriage)
  holdMinutes: number;
  cancelHours: number;
  noShowLimit: number;
  noShowDays: number;
  barDays: number;
  status: 'active' | 'suspended';
}

/** The settings a department administrator saves (create or update by code). */
export interface ServiceSettingsInput {
  code: string;
  kind: AppointmentKind;
  name: string;
  departmentId: number;
  regionCode?: string; // default: the department's region
  itemCode?: string | null;
  place?: string;
  notes?: string;
  openDays: 'working' | 'every';
  sessions: Session[];
  slotMinutes: number;
  capacity: number;
  windowDays: number;
  opensAt?: string; // default '08:00'
  parties?: number;
  holdMinutes?: number;
  cancelHours?: number;
  noShowLimit?: number;
  noShowDays?: number;
  barDays?: number;
  status?: 'active' | 'suspended';
}

/**
 * A day as citizens see it: open (places left), full, not open for booking yet (opensAt says when), past, or
 * not bookable at all (closed with a reason, a statutory holiday, a rest day, the service suspended).
 */
export type DayStatus = 'open' | 'full' | 'not_yet_open' | 'past' | 'closed' | 'holiday' | 'rest' | 'suspended';

export const DAY_STATUSES: Record<DayStatus, string> = {
  open: '可预约',
  full: '已约满',
  not_yet_open: '尚未开放',
  past: '已过',
  closed: '暂停预约',
  holiday: '法定节假日',
  rest: '休息日',
  suspended: '服务暂停',
};

export interface AvailabilityDay {
  day: string;
  weekday: number; // 0 = Sunday … 6 = Saturday
  status: DayStatus;
  statusLabel: string;
  /** The closure's reason, the holiday's name, or when booking opens — in Chinese; null when nothing to add. */
  note: string | null;
  opensAt: string | null; // not_yet_open: when booking opens (ISO)
  capacity: number; // places in the slots not yet started
  free: number;
}

export interface Availability {
  service: ServiceView;
  from: string;
  to: string;
  days: AvailabilityDay[];
}

export interface SlotAvailability {
  startsAt: string;
  endsAt: string;
  capacity: number;
  taken: number;
  free: number;
  bookable: boolean; // open for booking now with a free place
}

export interface DaySlots {
  service: ServiceView;
  day: AvailabilityDay;
  slots: SlotAvailability[];
}

export interface PartyView {
  role: 'booker' | 'partner';
  roleLabel: string;
  name: string;
  idNumberMasked: string;
  confirmed: boolean;
}

/** One booking as a party sees it. */
export interface BookingView {
  code: string; // 预约码 (check-in, QR code)
  status: BookingStatus;
  statusLabel: string;
  service: { code: string; name: string; kind: AppointmentKind; kindLabel: string; place: string; notes: string; departmentName: string; parties: number };
  day: string;
  startsAt: string;
  endsAt: string;
  startsAtInstant: string; // ISO
  holdUntil: string | null; // held: the partner must confirm before this (ISO)
  createdAt: string;
  confirmedAt: string | null;
  cancelledAt: string | null;
  cancelReason: string | null;
  checkedInAt: string | null;
  parties: PartyView[];
  myRole: 'booker' | 'partner';
  /** Held, and the viewer is the party who has not confirmed yet. */
  awaitingMyConfirmation: boolean;
  cancelDeadline: string; // ISO: cancellation allowed until then
  canCancel: boolean;
}

export interface BookInput {
  serviceCode: string;
  day: string;
  startsAt: string; // 'HH:MM'
  partner?: { name?: string; idNumber?: string }; // two-party services (marriage): the other party (checked by the operation)
}

/** One booking on a staff member's day list or check-in screen. */
export interface StaffBookingView {
  code: string;
  status: BookingStatus;
  statusLabel: string;
  serviceCode: string;
  serviceName: string;
  day: string;
  startsAt: string;
  endsAt: string;
  holdUntil: string | null;
  createdAt: string;
  cancelReason: string | null;
  checkedInAt: string | null;
  checkedInBy: string | null; // the clerk's name
  parties: PartyView[];
}

export interface StaffSlot {
  startsAt: string;
  endsAt: string;
  capacity: number;
  taken: number;
  free: number;
  /** Capacity differs from the service's default (changed by staff). */
  changed: boolean;
  /** Not one of the day's current slots (the hours changed after it was booked, or the day is closed): kept so its bookings stay visible. */
  outsideHours: boolean;
  bookings: StaffBookingView[];
}

/** Staff: a day's opening and its slots with their bookings (名单). */
export interface StaffDayList {
  service: ServiceView;
  day: string;
  weekday: number;
  opening: DayOpening;
  slots: StaffSlot[];
  canManage: boolean;
  canCheckIn: boolean;
}

/** How the calendar opens a day for a service (without regard to the booking window). */
export type DayOpening =
  | { status: 'open' }
  | { status: 'closed'; reason: string }
  | { status: 'holiday'; holidayName: string }
  | { status: 'rest' };

export interface MonthDay {
  day: string;
  weekday: number;
  opening: DayOpening;
  capacity: number; // places of the day's slots
  taken: number;
  bookings: number; // held or confirmed or checked in
}

export interface ServiceMonth {
  service: ServiceView;
  month: string; // 'YYYY-MM'
  days: MonthDay[];
  canManage: boolean;
}

export interface ManagedService extends ServiceView {
  canManage: boolean;
  canCheckIn: boolean;
}

export interface CapacityChangeInput {
  serviceCode: string;
  day: string;
  startsAt?: string; // one slot; omitted: every slot of the day
  capacity: number;
}

export interface ClosureInput {
  serviceCode: string;
  day: string;
  reason: string;
}

export interface ClosureResult {
  day: string;
  reason: string;
  cancelled: string[]; // codes of the bookings cancelled with the closure
}
