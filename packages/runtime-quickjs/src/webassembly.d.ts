// The few WebAssembly JS API types this package uses (the Node typings here do not declare them).
declare namespace WebAssembly {
  class Module {}
  interface MemoryDescriptor {
    initial: number;
    maximum?: number;
  }
  class Memory {
    constructor(descriptor: MemoryDescriptor);
    readonly buffer: ArrayBuffer;
  }
  function compile(bytes: ArrayBufferView | ArrayBuffer): Promise<Module>;
}
