{
  "targets": [
    {
      "target_name": "irescue_native",
      "sources": [
        "src/addon.c",
        "src/pbkdf2.c",
        "src/sha256.c",
        "src/sha1.c",
        "src/cpu.c",
        "src/kernel_shani.c",
        "src/kernel_simd.c",
        "src/kernel_vec.c",
        "src/kernel_hybrid.c",
        "src/kernel_arm.c"
      ],
      "defines": ["NAPI_VERSION=8"],
      "cflags": ["-O3", "-std=gnu11", "-fno-strict-aliasing", "-Wall", "-Wextra", "-Wno-unused-parameter"],
      "cflags!": ["-O2"],
      "xcode_settings": {
        "OTHER_CFLAGS": ["-O3", "-std=gnu11"],
        "GCC_OPTIMIZATION_LEVEL": "3"
      },
      "conditions": [
        ["OS!='win'", { "libraries": ["-lpthread"] }]
      ]
    }
  ]
}
