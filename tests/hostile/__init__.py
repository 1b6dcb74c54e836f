"""The hostile-input lab of issue 14: every input a clear answer, every output safe."""
