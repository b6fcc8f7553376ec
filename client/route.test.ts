import { describe, expect, it } from "vitest";
import { routeFor } from "./route.js";

describe("routeFor", () => {
  it("maps paths to pages", () => {
    expect(routeFor("/")).toEqual({ page: "start" });
    expect(routeFor("/join/ABC234")).toEqual({ page: "join", code: "ABC234", expired: false });
    expect(routeFor("/join", "?expired=1")).toEqual({ page: "join", code: "", expired: true });
    expect(routeFor("/room/s%201")).toEqual({ page: "room", sessionId: "s 1" });
    expect(routeFor("/host/s1/")).toEqual({ page: "host", sessionId: "s1" });
    expect(routeFor("/summary/s1")).toEqual({ page: "summary", sessionId: "s1" });
    expect(routeFor("/room")).toEqual({ page: "not-found" });
    expect(routeFor("/room/a/b")).toEqual({ page: "not-found" });
    expect(routeFor("/room/%E0%A4%A")).toEqual({ page: "room", sessionId: "%E0%A4%A" });
  });
});
