import { expect, test } from "vitest";
import { googleEmail, googlePhone, metaEmail, metaPhone } from "./hash-identifiers.ts";

// The test vectors of INTEGRATIONS.md section 9.
test("Meta em: trimmed and lower-cased, SHA-256 hex", () => {
  expect(metaEmail("john_smith@gmail.com")).toBe("62a14e44f765419d10fea99367361a727c12365e2520f32218d505ed9aa0f62f");
  expect(metaEmail("  John_Smith@Gmail.com ")).toBe("62a14e44f765419d10fea99367361a727c12365e2520f32218d505ed9aa0f62f");
});

test("Meta ph: digits with the country code, no plus", () => {
  const expected = "e323ec626319ca94ee8bff2e4c87cf613be6ea19919ed1364124e16807ab3176";
  expect(metaPhone("16505551212")).toBe(expected);
  expect(metaPhone("+16505551212")).toBe(expected);
  expect(metaPhone("+1 (650) 555-1212")).toBe(expected);
  expect(metaPhone("12")).toBeNull();
});

test("Google email: gmail drops dots and +suffix, other domains keep them", () => {
  expect(googleEmail("Jane.Doe@gmail.com")).toBe("d6117306485ed0e50afab3ac871e98f81699151f30281527d63ff5f233656c69");
  expect(googleEmail("jane.doe+ads@googlemail.com")).toBe(googleEmail("janedoe@googlemail.com"));
  expect(googleEmail("jane.doe+x@example.com")).not.toBe(googleEmail("janedoe@example.com"));
});

test("Google phone: E.164 with its plus", () => {
  expect(googlePhone("+18005550102")).toBe("c5383c2eeada28210d27f011bc127d4f9562cf38ff0c9bba33dd45ae79b9fe7c");
  expect(googlePhone("x")).toBeNull();
});
