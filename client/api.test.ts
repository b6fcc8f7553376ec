import { describe, expect, it } from "vitest";
import { ApiError, joinErrorMessage } from "./api.js";

describe("joinErrorMessage", () => {
  it("tells a wrong code, a locked session, rate limiting and a network failure apart", () => {
    expect(joinErrorMessage(new ApiError(404, "not_found", "x"))).toMatch(/doesn't match an open session/);
    expect(joinErrorMessage(new ApiError(403, "locked", "x"))).toMatch(/locked/);
    expect(joinErrorMessage(new ApiError(429, "rate_limited", "x"))).toMatch(/Too many attempts/);
    expect(joinErrorMessage(new ApiError(400, "invalid", "name is too long"))).toBe("name is too long");
    expect(joinErrorMessage(new ApiError(0, "network", "The server cannot be reached."))).toBe(
      "The server cannot be reached.",
    );
    expect(joinErrorMessage(new Error("?"))).toBe("Something went wrong. Try again.");
  });
});
