import { check, CheckFailure } from "scratch/check";
import { data } from "scratch";
import * as attempt from "attempt";

check("on the real data: every ticker gets n - 1 returns and AAPL beat MSFT on average", () => {
  const g = attempt.groupBySymbol(
    data.table("stocks").rows.map(([symbol, date, price]) => ({ symbol, date, price })),
  );
  const symbols = Object.keys(g).sort().join(",");
  if (symbols !== "AAPL,AMZN,GOOG,IBM,MSFT")
    throw new CheckFailure(`expected the five tickers, got ${symbols}`);
  for (const s of Object.keys(g)) {
    const r = attempt.monthlyReturns(g[s]);
    if (r.length !== g[s].length - 1)
      throw new CheckFailure(`${s}: ${g[s].length} prices but ${r.length} returns`);
  }
  const aapl = attempt.summarize(attempt.monthlyReturns(g.AAPL)).mean;
  const msft = attempt.summarize(attempt.monthlyReturns(g.MSFT)).mean;
  if (!(aapl > msft)) throw new CheckFailure(`mean monthly return AAPL ${aapl} should exceed MSFT ${msft}`);
});
