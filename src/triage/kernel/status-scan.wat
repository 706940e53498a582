;; status-scan.wat: the triage scan kernel (WebAssembly SIMD): finds ` 400 ` and ` 403 ` and counts newlines in one pass.
;;
;; Built into status-scan-wasm.ts by `UPDATE_KERNEL=1 npx vitest run test/triage/kernel` (wabt);
;; that test fails when the two differ. Every S3 denial has HTTP status 400 or 403, and the status
;; field is space-delimited, so a line that holds neither ` 400 ` nor ` 403 ` is not a denial.
;; Sixteen bytes are compared at a time; the JavaScript side parses only the lines with a match.
(module
  (memory (export "memory") 1)
  ;; After scan: the newlines in [from, resume).
  (global $lines (export "lines") (mut i32) (i32.const 0))
  ;; After scan: where a next call continues (`to` when the range was finished).
  (global $resume (export "resume") (mut i32) (i32.const 0))

  ;; Finds every p in [from, to - 5] where bytes p..p+4 are ` 40` then `0` or `3` then ` `, in
  ;; order, writing (p, newlines in [from, p)) as two little-endian u32 at out, out + 8, ...
  ;; Returns the number of pairs written. Stops after cap pairs, with resume just after the last.
  (func (export "scan") (param $from i32) (param $to i32) (param $out i32) (param $cap i32) (result i32)
    (local $i i32) (local $last i32) (local $n i32) (local $nl i32)
    (local $bits i32) (local $nlbits i32) (local $tz i32) (local $p i32) (local $c i32)
    (local $a v128) (local $m v128)
    (local $space v128) (local $four v128) (local $zero v128) (local $three v128) (local $lf v128)
    (local.set $space (i8x16.splat (i32.const 32)))
    (local.set $four (i8x16.splat (i32.const 52)))
    (local.set $zero (i8x16.splat (i32.const 48)))
    (local.set $three (i8x16.splat (i32.const 51)))
    (local.set $lf (i8x16.splat (i32.const 10)))
    (local.set $i (local.get $from))
    ;; A block at i reads up to i + 19 (a match at i + 15 ends at i + 19), so blocks start at i <= to - 20.
    (local.set $last (i32.sub (local.get $to) (i32.const 20)))
    (block $blocks_done
      (loop $block
        (br_if $blocks_done (i32.gt_s (local.get $i) (local.get $last)))
        (local.set $a (v128.load align=1 (local.get $i)))
        (local.set $nlbits (i8x16.bitmask (i8x16.eq (local.get $a) (local.get $lf))))
        ;; ` 40` at each of the 16 positions; the rarely true case checks the last two bytes.
        (local.set $m
          (v128.and
            (i8x16.eq (local.get $a) (local.get $space))
            (v128.and
              (i8x16.eq (v128.load offset=1 align=1 (local.get $i)) (local.get $four))
              (i8x16.eq (v128.load offset=2 align=1 (local.get $i)) (local.get $zero)))))
        (if (v128.any_true (local.get $m))
          (then
            (local.set $a (v128.load offset=3 align=1 (local.get $i)))
            (local.set $bits
              (i8x16.bitmask
                (v128.and
                  (local.get $m)
                  (v128.and
                    (v128.or
                      (i8x16.eq (local.get $a) (local.get $zero))
                      (i8x16.eq (local.get $a) (local.get $three)))
                    (i8x16.eq (v128.load offset=4 align=1 (local.get $i)) (local.get $space))))))
            (block $matches_done
              (loop $match
                (br_if $matches_done (i32.eqz (local.get $bits)))
                (local.set $tz (i32.ctz (local.get $bits)))
                (local.set $p (i32.add (local.get $i) (local.get $tz)))
                (i32.store align=4 (local.get $out) (local.get $p))
                (i32.store offset=4 align=4 (local.get $out)
                  (i32.add
                    (local.get $nl)
                    (i32.popcnt
                      (i32.and
                        (local.get $nlbits)
                        (i32.sub (i32.shl (i32.const 1) (local.get $tz)) (i32.const 1))))))
                (local.set $out (i32.add (local.get $out) (i32.const 8)))
                (local.set $n (i32.add (local.get $n) (i32.const 1)))
                (if (i32.eq (local.get $n) (local.get $cap))
                  (then
                    ;; Byte p is a space, so the newlines before p + 1 are those before p.
                    (global.set $lines
                      (i32.add
                        (local.get $nl)
                        (i32.popcnt
                          (i32.and
                            (local.get $nlbits)
                            (i32.sub (i32.shl (i32.const 1) (local.get $tz)) (i32.const 1))))))
                    (global.set $resume (i32.add (local.get $p) (i32.const 1)))
                    (return (local.get $n))))
                (local.set $bits (i32.and (local.get $bits) (i32.sub (local.get $bits) (i32.const 1))))
                (br $match)))))
        (local.set $nl (i32.add (local.get $nl) (i32.popcnt (local.get $nlbits))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $block)))
    ;; The last bytes (fewer than 20), one at a time.
    (block $tail_done
      (loop $tail
        (br_if $tail_done (i32.ge_u (local.get $i) (local.get $to)))
        (local.set $c (i32.load8_u (local.get $i)))
        (if (i32.eq (local.get $c) (i32.const 10))
          (then (local.set $nl (i32.add (local.get $nl) (i32.const 1)))))
        ;; Nested tests: no byte at or after `to` is read.
        (if (i32.and
              (i32.eq (local.get $c) (i32.const 32))
              (i32.le_u (i32.add (local.get $i) (i32.const 5)) (local.get $to)))
          (then
            (if (i32.and
                  (i32.eq (i32.load16_u offset=1 align=1 (local.get $i)) (i32.const 0x3034)) ;; "40"
                  (i32.eq (i32.load8_u offset=4 (local.get $i)) (i32.const 32)))
              (then
                (local.set $c (i32.load8_u offset=3 (local.get $i)))
                (if (i32.or (i32.eq (local.get $c) (i32.const 48)) (i32.eq (local.get $c) (i32.const 51)))
                  (then
                    (i32.store align=4 (local.get $out) (local.get $i))
                    (i32.store offset=4 align=4 (local.get $out) (local.get $nl))
                    (local.set $out (i32.add (local.get $out) (i32.const 8)))
                    (local.set $n (i32.add (local.get $n) (i32.const 1)))
                    (if (i32.eq (local.get $n) (local.get $cap))
                      (then
                        (global.set $lines (local.get $nl))
                        (global.set $resume (i32.add (local.get $i) (i32.const 1)))
                        (return (local.get $n))))))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $tail)))
    (global.set $lines (local.get $nl))
    (global.set $resume (local.get $to))
    (local.get $n))
)
