;; json-skip.wat: the JSON splitter's kernel (WebAssembly SIMD): walks an array element's bytes to where it closes, tracking strings, escapes and nesting.
;;
;; Built into json-skip-wasm.ts by `UPDATE_KERNEL=1 npx vitest run test/logs/json-skip.test.ts` (wabt);
;; that test fails when the two differ. The JavaScript splitter keeps the same state and calls this
;; for the bytes inside an object or array element, most of a CloudTrail file. Sixteen bytes at a
;; time when they hold no backslash: which bytes are inside strings follows from the quotes before
;; them (a prefix XOR of the quote bits), and only brackets and newlines outside strings count.
(module
  (memory (export "memory") 1)
  ;; Nesting depth; carried from call to call.
  (global $depth (export "depth") (mut i32) (i32.const 0))
  ;; 0: outside strings, 1: inside a string, 2: inside a string right after a backslash.
  (global $str (export "str") (mut i32) (i32.const 0))
  ;; After skip: the newlines (outside strings) in the bytes it walked.
  (global $lines (export "lines") (mut i32) (i32.const 0))

  ;; Walks bytes from..to-1; returns the index just after the `}` or `]` that brings the depth down
  ;; to target (with depth = target after), or to when none does.
  (func (export "skip") (param $from i32) (param $to i32) (param $target i32) (result i32)
    (local $i i32) (local $d i32) (local $s i32) (local $nl i32) (local $c i32) (local $lim i32)
    (local $qm i32) (local $bm i32) (local $stm i32) (local $nlm i32) (local $p i32) (local $k i32)
    (local $a v128) (local $lower v128)
    (local.set $i (local.get $from))
    (local.set $d (global.get $depth))
    (local.set $s (global.get $str))
    (block $done
      (loop $outer
        (br_if $done (i32.ge_u (local.get $i) (local.get $to)))
        ;; By default one byte goes the scalar way.
        (local.set $lim (i32.add (local.get $i) (i32.const 1)))
        (if (i32.and (i32.lt_u (local.get $s) (i32.const 2))
                     (i32.le_u (i32.add (local.get $i) (i32.const 16)) (local.get $to)))
          (then
            (local.set $a (v128.load align=1 (local.get $i)))
            (local.set $qm (i8x16.bitmask (i8x16.eq (local.get $a) (i8x16.splat (i32.const 34)))))
            (local.set $bm (i8x16.bitmask (i8x16.eq (local.get $a) (i8x16.splat (i32.const 92)))))
            (if (i32.eqz (local.get $bm))
              (then
                (local.set $lower (v128.or (local.get $a) (i8x16.splat (i32.const 32))))
                (local.set $stm (i8x16.bitmask
                  (v128.or (i8x16.eq (local.get $lower) (i8x16.splat (i32.const 123)))
                           (i8x16.eq (local.get $lower) (i8x16.splat (i32.const 125))))))
                (local.set $nlm (i8x16.bitmask (i8x16.eq (local.get $a) (i8x16.splat (i32.const 10)))))
                ;; p bit k: an odd number of quotes at 0..k, so byte k (not a quote) is inside a
                ;; string when p is set and the block started outside one, or the other way round.
                (local.set $p (local.get $qm))
                (local.set $p (i32.xor (local.get $p) (i32.shl (local.get $p) (i32.const 1))))
                (local.set $p (i32.xor (local.get $p) (i32.shl (local.get $p) (i32.const 2))))
                (local.set $p (i32.xor (local.get $p) (i32.shl (local.get $p) (i32.const 4))))
                (local.set $p (i32.xor (local.get $p) (i32.shl (local.get $p) (i32.const 8))))
                (if (local.get $s) (then (local.set $p (i32.xor (local.get $p) (i32.const -1)))))
                ;; Outside strings: p clear.
                (local.set $stm (i32.and (local.get $stm) (i32.xor (local.get $p) (i32.const -1))))
                (local.set $nlm (i32.and (local.get $nlm) (i32.xor (local.get $p) (i32.const -1))))
                (block $no_end
                  (loop $brackets
                    (br_if $no_end (i32.eqz (local.get $stm)))
                    (local.set $k (i32.ctz (local.get $stm)))
                    (if (i32.eq (i32.or (i32.load8_u (i32.add (local.get $i) (local.get $k))) (i32.const 32))
                                (i32.const 123))
                      (then (local.set $d (i32.add (local.get $d) (i32.const 1))))
                      (else
                        (local.set $d (i32.sub (local.get $d) (i32.const 1)))
                        (if (i32.eq (local.get $d) (local.get $target))
                          (then
                            ;; Ends at byte k: newlines up to it, outside any string.
                            (local.set $nl (i32.add (local.get $nl)
                              (i32.popcnt (i32.and (local.get $nlm)
                                (i32.sub (i32.shl (i32.const 2) (local.get $k)) (i32.const 1))))))
                            (local.set $s (i32.const 0))
                            (local.set $i (i32.add (i32.add (local.get $i) (local.get $k)) (i32.const 1)))
                            (br $done)))))
                    (local.set $stm (i32.and (local.get $stm) (i32.sub (local.get $stm) (i32.const 1))))
                    (br $brackets)))
                (local.set $nl (i32.add (local.get $nl) (i32.popcnt (local.get $nlm))))
                (local.set $s (i32.xor (local.get $s) (i32.and (i32.popcnt (local.get $qm)) (i32.const 1))))
                (local.set $i (i32.add (local.get $i) (i32.const 16)))
                (br $outer))
              (else
                ;; A backslash: the scalar way through it and the byte it escapes.
                (local.set $lim (i32.add (i32.add (local.get $i) (i32.ctz (local.get $bm))) (i32.const 2)))
                (if (i32.gt_u (local.get $lim) (local.get $to)) (then (local.set $lim (local.get $to))))))))
        (loop $scalar
          (local.set $c (i32.load8_u (local.get $i)))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (block $byte_done
            (if (local.get $s)
              (then
                (if (i32.eq (local.get $s) (i32.const 2))
                  (then (local.set $s (i32.const 1)))
                  (else
                    (if (i32.eq (local.get $c) (i32.const 92))
                      (then (local.set $s (i32.const 2)))
                      (else
                        (if (i32.eq (local.get $c) (i32.const 34))
                          (then (local.set $s (i32.const 0))))))))
                (br $byte_done)))
            (if (i32.eq (local.get $c) (i32.const 34))
              (then (local.set $s (i32.const 1)) (br $byte_done)))
            (if (i32.eq (i32.or (local.get $c) (i32.const 32)) (i32.const 123))
              (then (local.set $d (i32.add (local.get $d) (i32.const 1))) (br $byte_done)))
            (if (i32.eq (i32.or (local.get $c) (i32.const 32)) (i32.const 125))
              (then
                (local.set $d (i32.sub (local.get $d) (i32.const 1)))
                (br_if $done (i32.eq (local.get $d) (local.get $target)))
                (br $byte_done)))
            (if (i32.eq (local.get $c) (i32.const 10))
              (then (local.set $nl (i32.add (local.get $nl) (i32.const 1))))))
          (br_if $scalar (i32.lt_u (local.get $i) (local.get $lim))))
        (br $outer)))
    (global.set $depth (local.get $d))
    (global.set $str (local.get $s))
    (global.set $lines (local.get $nl))
    (local.get $i))
)
