/**
 * What a business does, and the topics its customers usually ask about (decision 019): the starter vocabulary a
 * workspace gets for its type. Each topic is a key (`name`), the words the owner sees (`label`) and the phrases
 * that count as it (`terms`: lemmas, synonyms, common spellings; "box" also matches "boxes"). The owner edits
 * them afterwards (lib/topics/edit-topics.ts): nothing here is fixed once a workspace has its topics.
 */
export const BUSINESS_TYPES = ["movers", "clinic", "studio", "salon", "contractor", "restaurant", "other"] as const;
export type BusinessType = (typeof BUSINESS_TYPES)[number];

export const BUSINESS_TYPE_LABELS: Record<BusinessType, string> = {
  movers: "Movers",
  clinic: "Clinic or practice",
  studio: "Studio (fitness, yoga, dance)",
  salon: "Salon or spa",
  contractor: "Contractor or home services",
  restaurant: "Restaurant or café",
  other: "Something else",
};

export interface StarterTopic {
  name: string;
  label: string;
  terms: string[];
}

const t = (label: string, ...terms: string[]): StarterTopic => ({
  name: terms[0] ?? label.toLowerCase(),
  label,
  terms,
});

/** Asked of every kind of business. */
const COMMON: StarterTopic[] = [
  t("Prices and quotes", "price", "quote", "cost", "estimate", "rate", "how much", "pricing"),
  t("Availability", "availability", "available", "slot", "opening", "book", "booking", "appointment"),
  t(
    "Opening hours",
    "opening hour",
    "business hour",
    "open on weekend",
    "open on sunday",
    "open on saturday",
    "open late",
  ),
  t("Cancellations and refunds", "cancel", "cancellation", "refund", "money back", "reschedule"),
  t("Payment", "payment", "pay", "deposit", "invoice", "card", "cash", "installment"),
  t("Discounts", "discount", "coupon", "promo", "offer code", "voucher", "gift card"),
  t("Location and parking", "parking", "address", "location", "direction"),
];

const STARTERS: Record<BusinessType, StarterTopic[]> = {
  movers: [
    t("Boxes and packing supplies", "box", "crate", "carton", "packing supply", "tape", "bubble wrap"),
    t("Packing service", "packing", "pack", "unpacking", "unpack"),
    t("Piano moving", "piano"),
    t("Storage", "storage", "storage unit", "warehouse"),
    t("Insurance and damage", "insurance", "damage", "broken", "scratch", "liability"),
    t("Long-distance moves", "long distance", "interstate", "cross country"),
    t("Truck size", "truck", "van", "truck size"),
    t("Furniture assembly", "assembly", "disassembly", "furniture assembly", "assemble"),
    t("Elevator and stairs", "elevator", "stair", "stairs", "walk-up"),
    t("Hot tubs and heavy items", "hot tub", "heavy item", "pool table", "gym equipment"),
    t("Home size", "bedroom", "apartment", "condo", "house", "studio apartment"),
    t("Junk removal", "junk", "junk removal", "disposal", "haul away"),
  ],
  clinic: [
    t("Insurance", "insurance", "coverage", "medicare", "medicaid", "copay"),
    t("New patients", "new patient", "referral", "registration"),
    t("Prescriptions", "prescription", "refill", "medication", "pharmacy"),
    t("Test results", "test result", "lab result", "lab", "blood test"),
    t("Telehealth", "telehealth", "video visit", "online consultation", "virtual visit"),
    t("Vaccinations", "vaccine", "vaccination", "flu shot", "booster"),
    t("Children", "child", "kid", "pediatric", "baby"),
  ],
  studio: [
    t("Class schedule", "class", "schedule", "timetable", "session"),
    t("Memberships", "membership", "member", "class pack", "subscription"),
    t("Trial class", "trial", "first class", "intro", "drop-in", "drop in"),
    t("Private sessions", "private session", "personal training", "one-on-one", "private lesson"),
    t("Kids classes", "kid", "child", "teen"),
    t("Equipment and mats", "mat", "equipment", "towel", "locker", "shower"),
    t("Online classes", "online class", "livestream", "zoom", "on demand"),
  ],
  salon: [
    t("Haircuts", "haircut", "cut", "trim"),
    t("Colour", "color", "colour", "highlight", "balayage", "dye"),
    t("Nails", "nail", "manicure", "pedicure", "gel"),
    t("Treatments", "facial", "massage", "wax", "treatment"),
    t("Weddings and events", "wedding", "bridal", "event", "party"),
    t("Products", "product", "shampoo", "conditioner"),
  ],
  contractor: [
    t("Estimates and site visits", "site visit", "inspection", "survey"),
    t("Permits", "permit", "license"),
    t("Materials", "material", "tile", "paint", "wood", "lumber"),
    t("Timeline", "timeline", "start date", "how long", "duration"),
    t("Warranty", "warranty", "guarantee"),
    t("Emergency repairs", "emergency", "leak", "urgent", "repair"),
  ],
  restaurant: [
    t("Reservations", "reservation", "table", "reserve"),
    t("Menu", "menu", "dish"),
    t("Dietary needs", "vegan", "vegetarian", "gluten", "allergy", "allergen", "dairy", "halal", "kosher"),
    t("Private events", "private event", "party", "catering", "group"),
    t("Takeaway and delivery", "takeaway", "takeout", "delivery", "pickup", "to go"),
  ],
  other: [],
};

/** The starter vocabulary of a business type (the common topics first); none known: the common ones. */
export function starterTopics(type: string | null | undefined): StarterTopic[] {
  const own = type && (BUSINESS_TYPES as readonly string[]).includes(type) ? STARTERS[type as BusinessType] : [];
  const names = new Set(own.map((s) => s.name));
  return [...own, ...COMMON.filter((c) => !names.has(c.name))];
}

export const isBusinessType = (v: unknown): v is BusinessType =>
  typeof v === "string" && (BUSINESS_TYPES as readonly string[]).includes(v);
