import { check, CheckFailure } from "scratch/check";
import { randn, zeros, seed, tidy, noGrad } from "scratch";
import * as attempt from "attempt";

const maxDiff = (a, b) => a.sub(b).abs().max().item();

check("the block keeps the shape [B, C, H, W]", () => {
  const shape = tidy(() => noGrad(() => new attempt.ResidualBlock(3).forward(randn([2, 3, 5, 5])).shape));
  if (shape.join(",") !== "2,3,5,5")
    throw new CheckFailure(
      `expected [2, 3, 5, 5], got [${shape}]. Both convolutions need padding 1 and channels → channels.`,
    );
});

check("with all weights zero the block is ReLU(x): the skip connection passes x through", () => {
  const d = tidy(() =>
    noGrad(() => {
      const block = new attempt.ResidualBlock(2);
      if (block.parameters().length === 0)
        throw new CheckFailure(
          "the block has no parameters: create this.conv1 and this.conv2 with nn.Conv2d",
        );
      for (const p of block.parameters()) p.assign(zeros(p.shape));
      const x = randn([1, 2, 4, 4]);
      return maxDiff(block.forward(x), x.relu());
    }),
  );
  if (!(d < 1e-6))
    throw new CheckFailure(
      `with zero weights the output differs from ReLU(x) by up to ${d}: is x added back before the final ReLU?`,
    );
});

check("forward = ReLU(x + conv2(ReLU(conv1(x))))", () => {
  seed(4);
  const result = tidy(() =>
    noGrad(() => {
      const block = new attempt.ResidualBlock(3);
      const x = randn([2, 3, 6, 6]);
      const got = block.forward(x);
      const inner = block.conv1.forward(x).relu();
      const expected = x.add(block.conv2.forward(inner)).relu();
      const noFinalRelu = x.add(block.conv2.forward(inner));
      const reluBeforeAdd = x.add(block.conv2.forward(inner).relu());
      const noInnerRelu = x.add(block.conv2.forward(block.conv1.forward(x))).relu();
      return {
        d: maxDiff(got, expected),
        finalRelu: maxDiff(got, noFinalRelu),
        beforeAdd: maxDiff(got, reluBeforeAdd),
        inner: maxDiff(got, noInnerRelu),
      };
    }),
  );
  if (result.d < 1e-5) return;
  if (result.finalRelu < 1e-5) throw new CheckFailure("the final ReLU after the addition is missing");
  if (result.beforeAdd < 1e-5)
    throw new CheckFailure("the ReLU is applied to F(x) before the addition; it belongs after x + F(x)");
  if (result.inner < 1e-5) throw new CheckFailure("the ReLU between conv1 and conv2 is missing");
  throw new CheckFailure(`output differs from ReLU(x + conv2(ReLU(conv1(x)))) by up to ${result.d}`);
});

check("gradients reach the input through the skip path even when the convolutions are zero", () => {
  const g = tidy(() => {
    const block = new attempt.ResidualBlock(2);
    noGrad(() => {
      for (const p of block.parameters()) p.assign(zeros(p.shape));
    });
    const x = randn([1, 2, 3, 3]).requiresGrad();
    block.forward(x).sum().backward();
    return x.grad ? x.grad.sub(x.gt(0)).abs().max().item() : Infinity;
  });
  if (!(g < 1e-6))
    throw new CheckFailure(
      "with zero convolutions the gradient at the input should be 1 where x > 0 and 0 elsewhere: the skip path must be a plain addition of x",
    );
});
