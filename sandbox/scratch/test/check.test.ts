/** The checks API: failures name the first wrong element and guess a cause; results are events. */
import { beforeEach, describe, expect, it } from "vitest";
import { installDirectHost } from "../testing/install.js";

const host = await installDirectHost("cpu");
const S = await import("scratch");
const C = S.check;

beforeEach(() => {
  host.events.length = 0;
});

function failure(fn: () => void): { message: string; hint?: string } {
  try {
    fn();
  } catch (e) {
    const f = e as { detail: string; hint?: string };
    return { message: f.detail, hint: f.hint };
  }
  throw new Error("expected a CheckFailure");
}

describe("expectClose", () => {
  const expected = [
    [1, 2, 3],
    [4, 5, 6],
  ];

  it("passes within tolerance", () => {
    C.expectClose(S.tensor(expected).add(1e-7), expected);
    C.expectClose([1.0, 2.01], [1, 2], { rtol: 0.01 });
  });

  it("names the first mismatching element", () => {
    const f = failure(() =>
      C.expectClose(
        [
          [1, 2, 3],
          [4, 9, 6],
        ],
        expected,
      ),
    );
    expect(f.message).toBe("element [1, 1]: expected 5, got 9");
  });

  it("counts the mismatches and spots a flipped sign", () => {
    const f = failure(() => C.expectClose(S.tensor(expected).neg(), expected));
    expect(f.message).toBe("element [0, 0]: expected 1, got -1 (6 of 6 elements differ)");
    expect(f.hint).toBe("looks like the sign is flipped");
  });

  it("spots a transposed result (different shape)", () => {
    const f = failure(() => C.expectClose(S.tensor(expected).transpose(), expected));
    expect(f.message).toBe("expected shape [2, 3], got [3, 2]");
    expect(f.hint).toBe("looks transposed");
  });

  it("spots a transposed square matrix", () => {
    const f = failure(() =>
      C.expectClose(
        [
          [1, 3],
          [2, 4],
        ],
        [
          [1, 2],
          [3, 4],
        ],
      ),
    );
    expect(f.hint).toBe("looks transposed");
  });

  it("spots a constant factor and a constant offset", () => {
    expect(failure(() => C.expectClose(S.tensor(expected).mul(2), expected)).hint).toMatch(
      /constant factor of 2/,
    );
    expect(failure(() => C.expectClose(S.tensor(expected).add(0.5), expected)).hint).toMatch(
      /off by a constant 0.5/,
    );
  });

  it("reports wrong shapes and reshapes", () => {
    expect(failure(() => C.expectClose([1, 2, 3, 4, 5, 6], expected)).hint).toMatch(
      /wrong shape: reshape to \[2, 3\]/,
    );
    expect(failure(() => C.expectClose(21, expected)).hint).toMatch(/reduction/);
  });

  it("reports NaN", () => {
    expect(failure(() => C.expectClose(S.tensor([0]).log().mul(0), [0])).hint).toMatch(/NaN/);
  });
});

describe("check events", () => {
  it("emits passed and failed results with message and hint", () => {
    expect(C.check("ok", () => C.expectShape(S.zeros([2, 3]), [2, 3]))).toBe(true);
    expect(C.check("bad", () => C.expectShape(S.zeros([3, 2]), [2, 3]))).toBe(false);
    expect(C.check("throws", () => S.zeros([2]).matmul(S.zeros([2])))).toBe(false);
    const payloads = host.events.map((e) => e.payload);
    expect(payloads[0]).toEqual({ name: "ok", passed: true });
    expect(payloads[1]).toEqual({
      name: "bad",
      passed: false,
      message: "expected shape [2, 3], got [3, 2]",
      hint: "looks transposed",
    });
    expect(payloads[2]).toMatchObject({ name: "throws", passed: false });
    expect(String((payloads[2] as { message: string }).message)).toMatch(/matmul: needs tensors of rank ≥ 2/);
  });

  it("awaits async checks", async () => {
    await expect(C.check("async", async () => C.expect(false, "nope", "why"))).resolves.toBe(false);
    expect(host.events.at(-1)?.payload).toEqual({
      name: "async",
      passed: false,
      message: "nope",
      hint: "why",
    });
  });
});

describe("oracle and expectGrads", () => {
  it("accepts hand-computed gradients of matmul and rejects swapped ones", () => {
    S.tidy(() => {
      const a = S.randn([3, 4]);
      const b = S.randn([4, 2]);
      const dy = S.ones([3, 2]);
      const da = dy.matmul(b.transpose());
      const db = a.transpose().matmul(dy);
      C.expectGrads("matmul", [a, b], [da, db], { dy });
      const f = failure(() => C.expectGrads("matmul", [a, b], [da.neg(), db], { dy }));
      expect(f.message).toMatch(/^gradient of input 0: element \[0, 0\]/);
      expect(f.hint).toBe("looks like the sign is flipped");
    });
  });

  it("rejects unknown reference ops", () => {
    expect(() => C.oracle("nope", [S.zeros([1])])).toThrow(/no reference op "nope"/);
  });
});
