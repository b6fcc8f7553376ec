import { describe, expect, it } from "vitest";
import { withoutTitleHeading } from "./instructions.js";

describe("withoutTitleHeading", () => {
  it("drops a leading H1 that repeats the task title", () => {
    expect(withoutTitleHeading("# Goodness of fit\n\nEverything up to `fit`.", "Goodness of fit")).toBe(
      "Everything up to `fit`.",
    );
    expect(withoutTitleHeading("\n#  goodness  OF fit #\nText", "Goodness of fit")).toBe("Text");
    expect(withoutTitleHeading("# Goodness of fit", "Goodness of fit")).toBe("");
  });

  it("keeps a heading that says something else, a later one, and an H2", () => {
    expect(withoutTitleHeading("# Another heading\nText", "Goodness of fit")).toBe("# Another heading\nText");
    expect(withoutTitleHeading("Intro\n# Goodness of fit", "Goodness of fit")).toBe(
      "Intro\n# Goodness of fit",
    );
    expect(withoutTitleHeading("## Goodness of fit\nText", "Goodness of fit")).toBe(
      "## Goodness of fit\nText",
    );
  });
});
