(module
  (import "env" "memory" (memory 1))
  (func $gemm (export "gemm") (param i32 i32 i32 i32 i32 i32 i32 i32 i32)
    (local i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 f64 f64 f64 f64 f64)
    local.get 4
    i32.const 3
    i32.shl
    local.set 4
    local.get 6
    i32.const 3
    i32.shl
    local.set 6
    local.get 8
    i32.const 3
    i32.shl
    local.set 8
    local.get 4
    local.set 15
    i32.const 8
    local.set 16
    local.get 3
    local.set 12
    local.get 7
    local.set 13
    block
      loop
        local.get 9
        i32.const 4
        i32.add
        local.get 0
        i32.le_s
        i32.eqz
        br_if 1
        i32.const 0
        local.set 10
        block
          loop
            local.get 10
            i32.const 4
            i32.add
            local.get 1
            i32.le_s
            i32.eqz
            br_if 1
            local.get 12
            local.set 17
            local.get 13
            local.get 10
            i32.const 3
            i32.shl
            i32.add
            local.set 21
            local.get 17
            local.get 15
            i32.add
            local.set 18
            local.get 21
            local.get 8
            i32.add
            local.set 22
            local.get 18
            local.get 15
            i32.add
            local.set 19
            local.get 22
            local.get 8
            i32.add
            local.set 23
            local.get 19
            local.get 15
            i32.add
            local.set 20
            local.get 23
            local.get 8
            i32.add
            local.set 24
            local.get 5
            local.get 10
            i32.const 3
            i32.shl
            i32.add
            local.set 14
            local.get 21
            v128.load
            local.set 25
            local.get 21
            v128.load offset=16
            local.set 26
            local.get 22
            v128.load
            local.set 27
            local.get 22
            v128.load offset=16
            local.set 28
            local.get 23
            v128.load
            local.set 29
            local.get 23
            v128.load offset=16
            local.set 30
            local.get 24
            v128.load
            local.set 31
            local.get 24
            v128.load offset=16
            local.set 32
            i32.const 0
            local.set 11
            block
              loop
                local.get 11
                local.get 2
                i32.lt_s
                i32.eqz
                br_if 1
                local.get 14
                v128.load
                local.set 33
                local.get 14
                v128.load offset=16
                local.set 34
                local.get 14
                local.get 6
                i32.add
                local.set 14
                local.get 17
                v128.load64_splat
                local.set 35
                local.get 25
                local.get 35
                local.get 33
                f64x2.mul
                f64x2.add
                local.set 25
                local.get 26
                local.get 35
                local.get 34
                f64x2.mul
                f64x2.add
                local.set 26
                local.get 17
                local.get 16
                i32.add
                local.set 17
                local.get 18
                v128.load64_splat
                local.set 35
                local.get 27
                local.get 35
                local.get 33
                f64x2.mul
                f64x2.add
                local.set 27
                local.get 28
                local.get 35
                local.get 34
                f64x2.mul
                f64x2.add
                local.set 28
                local.get 18
                local.get 16
                i32.add
                local.set 18
                local.get 19
                v128.load64_splat
                local.set 35
                local.get 29
                local.get 35
                local.get 33
                f64x2.mul
                f64x2.add
                local.set 29
                local.get 30
                local.get 35
                local.get 34
                f64x2.mul
                f64x2.add
                local.set 30
                local.get 19
                local.get 16
                i32.add
                local.set 19
                local.get 20
                v128.load64_splat
                local.set 35
                local.get 31
                local.get 35
                local.get 33
                f64x2.mul
                f64x2.add
                local.set 31
                local.get 32
                local.get 35
                local.get 34
                f64x2.mul
                f64x2.add
                local.set 32
                local.get 20
                local.get 16
                i32.add
                local.set 20
                local.get 11
                i32.const 1
                i32.add
                local.set 11
                br 0
              end
            end
            local.get 21
            local.get 25
            v128.store
            local.get 21
            local.get 26
            v128.store offset=16
            local.get 22
            local.get 27
            v128.store
            local.get 22
            local.get 28
            v128.store offset=16
            local.get 23
            local.get 29
            v128.store
            local.get 23
            local.get 30
            v128.store offset=16
            local.get 24
            local.get 31
            v128.store
            local.get 24
            local.get 32
            v128.store offset=16
            local.get 10
            i32.const 4
            i32.add
            local.set 10
            br 0
          end
        end
        block
          loop
            local.get 10
            i32.const 2
            i32.add
            local.get 1
            i32.le_s
            i32.eqz
            br_if 1
            local.get 12
            local.set 17
            local.get 13
            local.get 10
            i32.const 3
            i32.shl
            i32.add
            local.set 21
            local.get 17
            local.get 15
            i32.add
            local.set 18
            local.get 21
            local.get 8
            i32.add
            local.set 22
            local.get 18
            local.get 15
            i32.add
            local.set 19
            local.get 22
            local.get 8
            i32.add
            local.set 23
            local.get 19
            local.get 15
            i32.add
            local.set 20
            local.get 23
            local.get 8
            i32.add
            local.set 24
            local.get 5
            local.get 10
            i32.const 3
            i32.shl
            i32.add
            local.set 14
            local.get 21
            v128.load
            local.set 25
            local.get 22
            v128.load
            local.set 27
            local.get 23
            v128.load
            local.set 29
            local.get 24
            v128.load
            local.set 31
            i32.const 0
            local.set 11
            block
              loop
                local.get 11
                local.get 2
                i32.lt_s
                i32.eqz
                br_if 1
                local.get 14
                v128.load
                local.set 33
                local.get 14
                local.get 6
                i32.add
                local.set 14
                local.get 17
                v128.load64_splat
                local.set 35
                local.get 25
                local.get 35
                local.get 33
                f64x2.mul
                f64x2.add
                local.set 25
                local.get 17
                local.get 16
                i32.add
                local.set 17
                local.get 18
                v128.load64_splat
                local.set 35
                local.get 27
                local.get 35
                local.get 33
                f64x2.mul
                f64x2.add
                local.set 27
                local.get 18
                local.get 16
                i32.add
                local.set 18
                local.get 19
                v128.load64_splat
                local.set 35
                local.get 29
                local.get 35
                local.get 33
                f64x2.mul
                f64x2.add
                local.set 29
                local.get 19
                local.get 16
                i32.add
                local.set 19
                local.get 20
                v128.load64_splat
                local.set 35
                local.get 31
                local.get 35
                local.get 33
                f64x2.mul
                f64x2.add
                local.set 31
                local.get 20
                local.get 16
                i32.add
                local.set 20
                local.get 11
                i32.const 1
                i32.add
                local.set 11
                br 0
              end
            end
            local.get 21
            local.get 25
            v128.store
            local.get 22
            local.get 27
            v128.store
            local.get 23
            local.get 29
            v128.store
            local.get 24
            local.get 31
            v128.store
            local.get 10
            i32.const 2
            i32.add
            local.set 10
            br 0
          end
        end
        block
          loop
            local.get 10
            local.get 1
            i32.lt_s
            i32.eqz
            br_if 1
            local.get 12
            local.set 17
            local.get 13
            local.get 10
            i32.const 3
            i32.shl
            i32.add
            local.set 21
            local.get 17
            local.get 15
            i32.add
            local.set 18
            local.get 21
            local.get 8
            i32.add
            local.set 22
            local.get 18
            local.get 15
            i32.add
            local.set 19
            local.get 22
            local.get 8
            i32.add
            local.set 23
            local.get 19
            local.get 15
            i32.add
            local.set 20
            local.get 23
            local.get 8
            i32.add
            local.set 24
            local.get 5
            local.get 10
            i32.const 3
            i32.shl
            i32.add
            local.set 14
            local.get 21
            f64.load
            local.set 36
            local.get 22
            f64.load
            local.set 37
            local.get 23
            f64.load
            local.set 38
            local.get 24
            f64.load
            local.set 39
            i32.const 0
            local.set 11
            block
              loop
                local.get 11
                local.get 2
                i32.lt_s
                i32.eqz
                br_if 1
                local.get 14
                f64.load
                local.set 40
                local.get 14
                local.get 6
                i32.add
                local.set 14
                local.get 36
                local.get 17
                f64.load
                local.get 40
                f64.mul
                f64.add
                local.set 36
                local.get 17
                local.get 16
                i32.add
                local.set 17
                local.get 37
                local.get 18
                f64.load
                local.get 40
                f64.mul
                f64.add
                local.set 37
                local.get 18
                local.get 16
                i32.add
                local.set 18
                local.get 38
                local.get 19
                f64.load
                local.get 40
                f64.mul
                f64.add
                local.set 38
                local.get 19
                local.get 16
                i32.add
                local.set 19
                local.get 39
                local.get 20
                f64.load
                local.get 40
                f64.mul
                f64.add
                local.set 39
                local.get 20
                local.get 16
                i32.add
                local.set 20
                local.get 11
                i32.const 1
                i32.add
                local.set 11
                br 0
              end
            end
            local.get 21
            local.get 36
            f64.store
            local.get 22
            local.get 37
            f64.store
            local.get 23
            local.get 38
            f64.store
            local.get 24
            local.get 39
            f64.store
            local.get 10
            i32.const 1
            i32.add
            local.set 10
            br 0
          end
        end
        local.get 9
        i32.const 4
        i32.add
        local.set 9
        local.get 12
        local.get 15
        i32.add
        local.set 12
        local.get 13
        local.get 8
        i32.add
        local.set 13
        local.get 12
        local.get 15
        i32.add
        local.set 12
        local.get 13
        local.get 8
        i32.add
        local.set 13
        local.get 12
        local.get 15
        i32.add
        local.set 12
        local.get 13
        local.get 8
        i32.add
        local.set 13
        local.get 12
        local.get 15
        i32.add
        local.set 12
        local.get 13
        local.get 8
        i32.add
        local.set 13
        br 0
      end
    end
    block
      loop
        local.get 9
        i32.const 1
        i32.add
        local.get 0
        i32.le_s
        i32.eqz
        br_if 1
        i32.const 0
        local.set 10
        block
          loop
            local.get 10
            i32.const 4
            i32.add
            local.get 1
            i32.le_s
            i32.eqz
            br_if 1
            local.get 12
            local.set 17
            local.get 13
            local.get 10
            i32.const 3
            i32.shl
            i32.add
            local.set 21
            local.get 5
            local.get 10
            i32.const 3
            i32.shl
            i32.add
            local.set 14
            local.get 21
            v128.load
            local.set 25
            local.get 21
            v128.load offset=16
            local.set 26
            i32.const 0
            local.set 11
            block
              loop
                local.get 11
                local.get 2
                i32.lt_s
                i32.eqz
                br_if 1
                local.get 14
                v128.load
                local.set 33
                local.get 14
                v128.load offset=16
                local.set 34
                local.get 14
                local.get 6
                i32.add
                local.set 14
                local.get 17
                v128.load64_splat
                local.set 35
                local.get 25
                local.get 35
                local.get 33
                f64x2.mul
                f64x2.add
                local.set 25
                local.get 26
                local.get 35
                local.get 34
                f64x2.mul
                f64x2.add
                local.set 26
                local.get 17
                local.get 16
                i32.add
                local.set 17
                local.get 11
                i32.const 1
                i32.add
                local.set 11
                br 0
              end
            end
            local.get 21
            local.get 25
            v128.store
            local.get 21
            local.get 26
            v128.store offset=16
            local.get 10
            i32.const 4
            i32.add
            local.set 10
            br 0
          end
        end
        block
          loop
            local.get 10
            i32.const 2
            i32.add
            local.get 1
            i32.le_s
            i32.eqz
            br_if 1
            local.get 12
            local.set 17
            local.get 13
            local.get 10
            i32.const 3
            i32.shl
            i32.add
            local.set 21
            local.get 5
            local.get 10
            i32.const 3
            i32.shl
            i32.add
            local.set 14
            local.get 21
            v128.load
            local.set 25
            i32.const 0
            local.set 11
            block
              loop
                local.get 11
                local.get 2
                i32.lt_s
                i32.eqz
                br_if 1
                local.get 14
                v128.load
                local.set 33
                local.get 14
                local.get 6
                i32.add
                local.set 14
                local.get 17
                v128.load64_splat
                local.set 35
                local.get 25
                local.get 35
                local.get 33
                f64x2.mul
                f64x2.add
                local.set 25
                local.get 17
                local.get 16
                i32.add
                local.set 17
                local.get 11
                i32.const 1
                i32.add
                local.set 11
                br 0
              end
            end
            local.get 21
            local.get 25
            v128.store
            local.get 10
            i32.const 2
            i32.add
            local.set 10
            br 0
          end
        end
        block
          loop
            local.get 10
            local.get 1
            i32.lt_s
            i32.eqz
            br_if 1
            local.get 12
            local.set 17
            local.get 13
            local.get 10
            i32.const 3
            i32.shl
            i32.add
            local.set 21
            local.get 5
            local.get 10
            i32.const 3
            i32.shl
            i32.add
            local.set 14
            local.get 21
            f64.load
            local.set 36
            i32.const 0
            local.set 11
            block
              loop
                local.get 11
                local.get 2
                i32.lt_s
                i32.eqz
                br_if 1
                local.get 14
                f64.load
                local.set 40
                local.get 14
                local.get 6
                i32.add
                local.set 14
                local.get 36
                local.get 17
                f64.load
                local.get 40
                f64.mul
                f64.add
                local.set 36
                local.get 17
                local.get 16
                i32.add
                local.set 17
                local.get 11
                i32.const 1
                i32.add
                local.set 11
                br 0
              end
            end
            local.get 21
            local.get 36
            f64.store
            local.get 10
            i32.const 1
            i32.add
            local.set 10
            br 0
          end
        end
        local.get 9
        i32.const 1
        i32.add
        local.set 9
        local.get 12
        local.get 15
        i32.add
        local.set 12
        local.get 13
        local.get 8
        i32.add
        local.set 13
        br 0
      end
    end
  )
  (func $gemmT (export "gemmT") (param i32 i32 i32 i32 i32 i32 i32 i32 i32)
    (local i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 f64 f64 f64 f64 f64 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128)
    local.get 4
    i32.const 3
    i32.shl
    local.set 4
    local.get 6
    i32.const 3
    i32.shl
    local.set 6
    local.get 8
    i32.const 3
    i32.shl
    local.set 8
    local.get 4
    local.set 16
    i32.const 8
    local.set 15
    local.get 3
    local.set 12
    local.get 7
    local.set 13
    local.get 1
    i32.const 3
    i32.le_s
    if
      block
        loop
          local.get 9
          i32.const 8
          i32.add
          local.get 0
          i32.le_s
          i32.eqz
          br_if 1
          i32.const 0
          local.set 10
          block
            loop
              local.get 10
              i32.const 2
              i32.add
              local.get 1
              i32.le_s
              i32.eqz
              br_if 1
              local.get 12
              local.set 17
              local.get 13
              local.get 10
              i32.const 3
              i32.shl
              i32.add
              local.set 25
              local.get 17
              local.get 15
              i32.add
              local.set 18
              local.get 25
              local.get 8
              i32.add
              local.set 26
              local.get 18
              local.get 15
              i32.add
              local.set 19
              local.get 26
              local.get 8
              i32.add
              local.set 27
              local.get 19
              local.get 15
              i32.add
              local.set 20
              local.get 27
              local.get 8
              i32.add
              local.set 28
              local.get 20
              local.get 15
              i32.add
              local.set 21
              local.get 28
              local.get 8
              i32.add
              local.set 29
              local.get 21
              local.get 15
              i32.add
              local.set 22
              local.get 29
              local.get 8
              i32.add
              local.set 30
              local.get 22
              local.get 15
              i32.add
              local.set 23
              local.get 30
              local.get 8
              i32.add
              local.set 31
              local.get 23
              local.get 15
              i32.add
              local.set 24
              local.get 31
              local.get 8
              i32.add
              local.set 32
              local.get 5
              local.get 10
              i32.const 3
              i32.shl
              i32.add
              local.set 14
              local.get 25
              v128.load64_splat
              local.set 49
              local.get 49
              local.get 26
              f64.load
              f64x2.replace_lane 1
              local.set 49
              local.get 25
              v128.load64_splat offset=8
              local.set 50
              local.get 50
              local.get 26
              f64.load offset=8
              f64x2.replace_lane 1
              local.set 50
              local.get 27
              v128.load64_splat
              local.set 51
              local.get 51
              local.get 28
              f64.load
              f64x2.replace_lane 1
              local.set 51
              local.get 27
              v128.load64_splat offset=8
              local.set 52
              local.get 52
              local.get 28
              f64.load offset=8
              f64x2.replace_lane 1
              local.set 52
              local.get 29
              v128.load64_splat
              local.set 53
              local.get 53
              local.get 30
              f64.load
              f64x2.replace_lane 1
              local.set 53
              local.get 29
              v128.load64_splat offset=8
              local.set 54
              local.get 54
              local.get 30
              f64.load offset=8
              f64x2.replace_lane 1
              local.set 54
              local.get 31
              v128.load64_splat
              local.set 55
              local.get 55
              local.get 32
              f64.load
              f64x2.replace_lane 1
              local.set 55
              local.get 31
              v128.load64_splat offset=8
              local.set 56
              local.get 56
              local.get 32
              f64.load offset=8
              f64x2.replace_lane 1
              local.set 56
              i32.const 0
              local.set 11
              block
                loop
                  local.get 11
                  local.get 2
                  i32.lt_s
                  i32.eqz
                  br_if 1
                  local.get 14
                  v128.load64_splat
                  local.set 57
                  local.get 14
                  v128.load64_splat offset=8
                  local.set 58
                  local.get 14
                  local.get 6
                  i32.add
                  local.set 14
                  local.get 17
                  v128.load align=8
                  local.set 43
                  local.get 49
                  local.get 43
                  local.get 57
                  f64x2.mul
                  f64x2.add
                  local.set 49
                  local.get 50
                  local.get 43
                  local.get 58
                  f64x2.mul
                  f64x2.add
                  local.set 50
                  local.get 17
                  v128.load offset=16 align=8
                  local.set 43
                  local.get 51
                  local.get 43
                  local.get 57
                  f64x2.mul
                  f64x2.add
                  local.set 51
                  local.get 52
                  local.get 43
                  local.get 58
                  f64x2.mul
                  f64x2.add
                  local.set 52
                  local.get 17
                  v128.load offset=32 align=8
                  local.set 43
                  local.get 53
                  local.get 43
                  local.get 57
                  f64x2.mul
                  f64x2.add
                  local.set 53
                  local.get 54
                  local.get 43
                  local.get 58
                  f64x2.mul
                  f64x2.add
                  local.set 54
                  local.get 17
                  v128.load offset=48 align=8
                  local.set 43
                  local.get 55
                  local.get 43
                  local.get 57
                  f64x2.mul
                  f64x2.add
                  local.set 55
                  local.get 56
                  local.get 43
                  local.get 58
                  f64x2.mul
                  f64x2.add
                  local.set 56
                  local.get 17
                  local.get 16
                  i32.add
                  local.set 17
                  local.get 11
                  i32.const 1
                  i32.add
                  local.set 11
                  br 0
                end
              end
              local.get 25
              local.get 49
              v128.store64_lane 0
              local.get 26
              local.get 49
              v128.store64_lane 1
              local.get 25
              local.get 50
              v128.store64_lane offset=8 0
              local.get 26
              local.get 50
              v128.store64_lane offset=8 1
              local.get 27
              local.get 51
              v128.store64_lane 0
              local.get 28
              local.get 51
              v128.store64_lane 1
              local.get 27
              local.get 52
              v128.store64_lane offset=8 0
              local.get 28
              local.get 52
              v128.store64_lane offset=8 1
              local.get 29
              local.get 53
              v128.store64_lane 0
              local.get 30
              local.get 53
              v128.store64_lane 1
              local.get 29
              local.get 54
              v128.store64_lane offset=8 0
              local.get 30
              local.get 54
              v128.store64_lane offset=8 1
              local.get 31
              local.get 55
              v128.store64_lane 0
              local.get 32
              local.get 55
              v128.store64_lane 1
              local.get 31
              local.get 56
              v128.store64_lane offset=8 0
              local.get 32
              local.get 56
              v128.store64_lane offset=8 1
              local.get 10
              i32.const 2
              i32.add
              local.set 10
              br 0
            end
          end
          block
            loop
              local.get 10
              i32.const 1
              i32.add
              local.get 1
              i32.le_s
              i32.eqz
              br_if 1
              local.get 12
              local.set 17
              local.get 13
              local.get 10
              i32.const 3
              i32.shl
              i32.add
              local.set 25
              local.get 17
              local.get 15
              i32.add
              local.set 18
              local.get 25
              local.get 8
              i32.add
              local.set 26
              local.get 18
              local.get 15
              i32.add
              local.set 19
              local.get 26
              local.get 8
              i32.add
              local.set 27
              local.get 19
              local.get 15
              i32.add
              local.set 20
              local.get 27
              local.get 8
              i32.add
              local.set 28
              local.get 20
              local.get 15
              i32.add
              local.set 21
              local.get 28
              local.get 8
              i32.add
              local.set 29
              local.get 21
              local.get 15
              i32.add
              local.set 22
              local.get 29
              local.get 8
              i32.add
              local.set 30
              local.get 22
              local.get 15
              i32.add
              local.set 23
              local.get 30
              local.get 8
              i32.add
              local.set 31
              local.get 23
              local.get 15
              i32.add
              local.set 24
              local.get 31
              local.get 8
              i32.add
              local.set 32
              local.get 5
              local.get 10
              i32.const 3
              i32.shl
              i32.add
              local.set 14
              local.get 25
              v128.load64_splat
              local.set 49
              local.get 49
              local.get 26
              f64.load
              f64x2.replace_lane 1
              local.set 49
              local.get 27
              v128.load64_splat
              local.set 51
              local.get 51
              local.get 28
              f64.load
              f64x2.replace_lane 1
              local.set 51
              local.get 29
              v128.load64_splat
              local.set 53
              local.get 53
              local.get 30
              f64.load
              f64x2.replace_lane 1
              local.set 53
              local.get 31
              v128.load64_splat
              local.set 55
              local.get 55
              local.get 32
              f64.load
              f64x2.replace_lane 1
              local.set 55
              i32.const 0
              local.set 11
              block
                loop
                  local.get 11
                  local.get 2
                  i32.lt_s
                  i32.eqz
                  br_if 1
                  local.get 14
                  v128.load64_splat
                  local.set 57
                  local.get 14
                  local.get 6
                  i32.add
                  local.set 14
                  local.get 17
                  v128.load align=8
                  local.set 43
                  local.get 49
                  local.get 43
                  local.get 57
                  f64x2.mul
                  f64x2.add
                  local.set 49
                  local.get 17
                  v128.load offset=16 align=8
                  local.set 43
                  local.get 51
                  local.get 43
                  local.get 57
                  f64x2.mul
                  f64x2.add
                  local.set 51
                  local.get 17
                  v128.load offset=32 align=8
                  local.set 43
                  local.get 53
                  local.get 43
                  local.get 57
                  f64x2.mul
                  f64x2.add
                  local.set 53
                  local.get 17
                  v128.load offset=48 align=8
                  local.set 43
                  local.get 55
                  local.get 43
                  local.get 57
                  f64x2.mul
                  f64x2.add
                  local.set 55
                  local.get 17
                  local.get 16
                  i32.add
                  local.set 17
                  local.get 11
                  i32.const 1
                  i32.add
                  local.set 11
                  br 0
                end
              end
              local.get 25
              local.get 49
              v128.store64_lane 0
              local.get 26
              local.get 49
              v128.store64_lane 1
              local.get 27
              local.get 51
              v128.store64_lane 0
              local.get 28
              local.get 51
              v128.store64_lane 1
              local.get 29
              local.get 53
              v128.store64_lane 0
              local.get 30
              local.get 53
              v128.store64_lane 1
              local.get 31
              local.get 55
              v128.store64_lane 0
              local.get 32
              local.get 55
              v128.store64_lane 1
              local.get 10
              i32.const 1
              i32.add
              local.set 10
              br 0
            end
          end
          local.get 9
          i32.const 8
          i32.add
          local.set 9
          local.get 12
          local.get 15
          i32.add
          local.set 12
          local.get 13
          local.get 8
          i32.add
          local.set 13
          local.get 12
          local.get 15
          i32.add
          local.set 12
          local.get 13
          local.get 8
          i32.add
          local.set 13
          local.get 12
          local.get 15
          i32.add
          local.set 12
          local.get 13
          local.get 8
          i32.add
          local.set 13
          local.get 12
          local.get 15
          i32.add
          local.set 12
          local.get 13
          local.get 8
          i32.add
          local.set 13
          local.get 12
          local.get 15
          i32.add
          local.set 12
          local.get 13
          local.get 8
          i32.add
          local.set 13
          local.get 12
          local.get 15
          i32.add
          local.set 12
          local.get 13
          local.get 8
          i32.add
          local.set 13
          local.get 12
          local.get 15
          i32.add
          local.set 12
          local.get 13
          local.get 8
          i32.add
          local.set 13
          local.get 12
          local.get 15
          i32.add
          local.set 12
          local.get 13
          local.get 8
          i32.add
          local.set 13
          br 0
        end
      end
    end
    block
      loop
        local.get 9
        i32.const 4
        i32.add
        local.get 0
        i32.le_s
        i32.eqz
        br_if 1
        i32.const 0
        local.set 10
        block
          loop
            local.get 10
            i32.const 4
            i32.add
            local.get 1
            i32.le_s
            i32.eqz
            br_if 1
            local.get 12
            local.set 17
            local.get 13
            local.get 10
            i32.const 3
            i32.shl
            i32.add
            local.set 25
            local.get 17
            local.get 15
            i32.add
            local.set 18
            local.get 25
            local.get 8
            i32.add
            local.set 26
            local.get 18
            local.get 15
            i32.add
            local.set 19
            local.get 26
            local.get 8
            i32.add
            local.set 27
            local.get 19
            local.get 15
            i32.add
            local.set 20
            local.get 27
            local.get 8
            i32.add
            local.set 28
            local.get 5
            local.get 10
            i32.const 3
            i32.shl
            i32.add
            local.set 14
            local.get 25
            v128.load
            local.set 33
            local.get 25
            v128.load offset=16
            local.set 34
            local.get 26
            v128.load
            local.set 35
            local.get 26
            v128.load offset=16
            local.set 36
            local.get 27
            v128.load
            local.set 37
            local.get 27
            v128.load offset=16
            local.set 38
            local.get 28
            v128.load
            local.set 39
            local.get 28
            v128.load offset=16
            local.set 40
            i32.const 0
            local.set 11
            block
              loop
                local.get 11
                local.get 2
                i32.lt_s
                i32.eqz
                br_if 1
                local.get 14
                v128.load
                local.set 41
                local.get 14
                v128.load offset=16
                local.set 42
                local.get 14
                local.get 6
                i32.add
                local.set 14
                local.get 17
                v128.load64_splat
                local.set 43
                local.get 33
                local.get 43
                local.get 41
                f64x2.mul
                f64x2.add
                local.set 33
                local.get 34
                local.get 43
                local.get 42
                f64x2.mul
                f64x2.add
                local.set 34
                local.get 17
                local.get 16
                i32.add
                local.set 17
                local.get 18
                v128.load64_splat
                local.set 43
                local.get 35
                local.get 43
                local.get 41
                f64x2.mul
                f64x2.add
                local.set 35
                local.get 36
                local.get 43
                local.get 42
                f64x2.mul
                f64x2.add
                local.set 36
                local.get 18
                local.get 16
                i32.add
                local.set 18
                local.get 19
                v128.load64_splat
                local.set 43
                local.get 37
                local.get 43
                local.get 41
                f64x2.mul
                f64x2.add
                local.set 37
                local.get 38
                local.get 43
                local.get 42
                f64x2.mul
                f64x2.add
                local.set 38
                local.get 19
                local.get 16
                i32.add
                local.set 19
                local.get 20
                v128.load64_splat
                local.set 43
                local.get 39
                local.get 43
                local.get 41
                f64x2.mul
                f64x2.add
                local.set 39
                local.get 40
                local.get 43
                local.get 42
                f64x2.mul
                f64x2.add
                local.set 40
                local.get 20
                local.get 16
                i32.add
                local.set 20
                local.get 11
                i32.const 1
                i32.add
                local.set 11
                br 0
              end
            end
            local.get 25
            local.get 33
            v128.store
            local.get 25
            local.get 34
            v128.store offset=16
            local.get 26
            local.get 35
            v128.store
            local.get 26
            local.get 36
            v128.store offset=16
            local.get 27
            local.get 37
            v128.store
            local.get 27
            local.get 38
            v128.store offset=16
            local.get 28
            local.get 39
            v128.store
            local.get 28
            local.get 40
            v128.store offset=16
            local.get 10
            i32.const 4
            i32.add
            local.set 10
            br 0
          end
        end
        block
          loop
            local.get 10
            i32.const 2
            i32.add
            local.get 1
            i32.le_s
            i32.eqz
            br_if 1
            local.get 12
            local.set 17
            local.get 13
            local.get 10
            i32.const 3
            i32.shl
            i32.add
            local.set 25
            local.get 17
            local.get 15
            i32.add
            local.set 18
            local.get 25
            local.get 8
            i32.add
            local.set 26
            local.get 18
            local.get 15
            i32.add
            local.set 19
            local.get 26
            local.get 8
            i32.add
            local.set 27
            local.get 19
            local.get 15
            i32.add
            local.set 20
            local.get 27
            local.get 8
            i32.add
            local.set 28
            local.get 5
            local.get 10
            i32.const 3
            i32.shl
            i32.add
            local.set 14
            local.get 25
            v128.load
            local.set 33
            local.get 26
            v128.load
            local.set 35
            local.get 27
            v128.load
            local.set 37
            local.get 28
            v128.load
            local.set 39
            i32.const 0
            local.set 11
            block
              loop
                local.get 11
                local.get 2
                i32.lt_s
                i32.eqz
                br_if 1
                local.get 14
                v128.load
                local.set 41
                local.get 14
                local.get 6
                i32.add
                local.set 14
                local.get 17
                v128.load64_splat
                local.set 43
                local.get 33
                local.get 43
                local.get 41
                f64x2.mul
                f64x2.add
                local.set 33
                local.get 17
                local.get 16
                i32.add
                local.set 17
                local.get 18
                v128.load64_splat
                local.set 43
                local.get 35
                local.get 43
                local.get 41
                f64x2.mul
                f64x2.add
                local.set 35
                local.get 18
                local.get 16
                i32.add
                local.set 18
                local.get 19
                v128.load64_splat
                local.set 43
                local.get 37
                local.get 43
                local.get 41
                f64x2.mul
                f64x2.add
                local.set 37
                local.get 19
                local.get 16
                i32.add
                local.set 19
                local.get 20
                v128.load64_splat
                local.set 43
                local.get 39
                local.get 43
                local.get 41
                f64x2.mul
                f64x2.add
                local.set 39
                local.get 20
                local.get 16
                i32.add
                local.set 20
                local.get 11
                i32.const 1
                i32.add
                local.set 11
                br 0
              end
            end
            local.get 25
            local.get 33
            v128.store
            local.get 26
            local.get 35
            v128.store
            local.get 27
            local.get 37
            v128.store
            local.get 28
            local.get 39
            v128.store
            local.get 10
            i32.const 2
            i32.add
            local.set 10
            br 0
          end
        end
        block
          loop
            local.get 10
            local.get 1
            i32.lt_s
            i32.eqz
            br_if 1
            local.get 12
            local.set 17
            local.get 13
            local.get 10
            i32.const 3
            i32.shl
            i32.add
            local.set 25
            local.get 17
            local.get 15
            i32.add
            local.set 18
            local.get 25
            local.get 8
            i32.add
            local.set 26
            local.get 18
            local.get 15
            i32.add
            local.set 19
            local.get 26
            local.get 8
            i32.add
            local.set 27
            local.get 19
            local.get 15
            i32.add
            local.set 20
            local.get 27
            local.get 8
            i32.add
            local.set 28
            local.get 5
            local.get 10
            i32.const 3
            i32.shl
            i32.add
            local.set 14
            local.get 25
            v128.load64_splat
            local.set 49
            local.get 49
            local.get 26
            f64.load
            f64x2.replace_lane 1
            local.set 49
            local.get 27
            v128.load64_splat
            local.set 51
            local.get 51
            local.get 28
            f64.load
            f64x2.replace_lane 1
            local.set 51
            i32.const 0
            local.set 11
            block
              loop
                local.get 11
                local.get 2
                i32.lt_s
                i32.eqz
                br_if 1
                local.get 14
                v128.load64_splat
                local.set 57
                local.get 14
                local.get 6
                i32.add
                local.set 14
                local.get 17
                v128.load align=8
                local.set 43
                local.get 49
                local.get 43
                local.get 57
                f64x2.mul
                f64x2.add
                local.set 49
                local.get 17
                v128.load offset=16 align=8
                local.set 43
                local.get 51
                local.get 43
                local.get 57
                f64x2.mul
                f64x2.add
                local.set 51
                local.get 17
                local.get 16
                i32.add
                local.set 17
                local.get 11
                i32.const 1
                i32.add
                local.set 11
                br 0
              end
            end
            local.get 25
            local.get 49
            v128.store64_lane 0
            local.get 26
            local.get 49
            v128.store64_lane 1
            local.get 27
            local.get 51
            v128.store64_lane 0
            local.get 28
            local.get 51
            v128.store64_lane 1
            local.get 10
            i32.const 1
            i32.add
            local.set 10
            br 0
          end
        end
        local.get 9
        i32.const 4
        i32.add
        local.set 9
        local.get 12
        local.get 15
        i32.add
        local.set 12
        local.get 13
        local.get 8
        i32.add
        local.set 13
        local.get 12
        local.get 15
        i32.add
        local.set 12
        local.get 13
        local.get 8
        i32.add
        local.set 13
        local.get 12
        local.get 15
        i32.add
        local.set 12
        local.get 13
        local.get 8
        i32.add
        local.set 13
        local.get 12
        local.get 15
        i32.add
        local.set 12
        local.get 13
        local.get 8
        i32.add
        local.set 13
        br 0
      end
    end
    block
      loop
        local.get 9
        i32.const 1
        i32.add
        local.get 0
        i32.le_s
        i32.eqz
        br_if 1
        i32.const 0
        local.set 10
        block
          loop
            local.get 10
            i32.const 4
            i32.add
            local.get 1
            i32.le_s
            i32.eqz
            br_if 1
            local.get 12
            local.set 17
            local.get 13
            local.get 10
            i32.const 3
            i32.shl
            i32.add
            local.set 25
            local.get 5
            local.get 10
            i32.const 3
            i32.shl
            i32.add
            local.set 14
            local.get 25
            v128.load
            local.set 33
            local.get 25
            v128.load offset=16
            local.set 34
            i32.const 0
            local.set 11
            block
              loop
                local.get 11
                local.get 2
                i32.lt_s
                i32.eqz
                br_if 1
                local.get 14
                v128.load
                local.set 41
                local.get 14
                v128.load offset=16
                local.set 42
                local.get 14
                local.get 6
                i32.add
                local.set 14
                local.get 17
                v128.load64_splat
                local.set 43
                local.get 33
                local.get 43
                local.get 41
                f64x2.mul
                f64x2.add
                local.set 33
                local.get 34
                local.get 43
                local.get 42
                f64x2.mul
                f64x2.add
                local.set 34
                local.get 17
                local.get 16
                i32.add
                local.set 17
                local.get 11
                i32.const 1
                i32.add
                local.set 11
                br 0
              end
            end
            local.get 25
            local.get 33
            v128.store
            local.get 25
            local.get 34
            v128.store offset=16
            local.get 10
            i32.const 4
            i32.add
            local.set 10
            br 0
          end
        end
        block
          loop
            local.get 10
            i32.const 2
            i32.add
            local.get 1
            i32.le_s
            i32.eqz
            br_if 1
            local.get 12
            local.set 17
            local.get 13
            local.get 10
            i32.const 3
            i32.shl
            i32.add
            local.set 25
            local.get 5
            local.get 10
            i32.const 3
            i32.shl
            i32.add
            local.set 14
            local.get 25
            v128.load
            local.set 33
            i32.const 0
            local.set 11
            block
              loop
                local.get 11
                local.get 2
                i32.lt_s
                i32.eqz
                br_if 1
                local.get 14
                v128.load
                local.set 41
                local.get 14
                local.get 6
                i32.add
                local.set 14
                local.get 17
                v128.load64_splat
                local.set 43
                local.get 33
                local.get 43
                local.get 41
                f64x2.mul
                f64x2.add
                local.set 33
                local.get 17
                local.get 16
                i32.add
                local.set 17
                local.get 11
                i32.const 1
                i32.add
                local.set 11
                br 0
              end
            end
            local.get 25
            local.get 33
            v128.store
            local.get 10
            i32.const 2
            i32.add
            local.set 10
            br 0
          end
        end
        block
          loop
            local.get 10
            local.get 1
            i32.lt_s
            i32.eqz
            br_if 1
            local.get 12
            local.set 17
            local.get 13
            local.get 10
            i32.const 3
            i32.shl
            i32.add
            local.set 25
            local.get 5
            local.get 10
            i32.const 3
            i32.shl
            i32.add
            local.set 14
            local.get 25
            f64.load
            local.set 44
            i32.const 0
            local.set 11
            block
              loop
                local.get 11
                local.get 2
                i32.lt_s
                i32.eqz
                br_if 1
                local.get 14
                f64.load
                local.set 48
                local.get 14
                local.get 6
                i32.add
                local.set 14
                local.get 44
                local.get 17
                f64.load
                local.get 48
                f64.mul
                f64.add
                local.set 44
                local.get 17
                local.get 16
                i32.add
                local.set 17
                local.get 11
                i32.const 1
                i32.add
                local.set 11
                br 0
              end
            end
            local.get 25
            local.get 44
            f64.store
            local.get 10
            i32.const 1
            i32.add
            local.set 10
            br 0
          end
        end
        local.get 9
        i32.const 1
        i32.add
        local.set 9
        local.get 12
        local.get 15
        i32.add
        local.set 12
        local.get 13
        local.get 8
        i32.add
        local.set 13
        br 0
      end
    end
  )
  (func $s1 (export "s1") (param i32 i32 i32)
    (local i32 i32 i32 i32 v128 v128 v128 v128 v128 v128 v128 v128 v128)
    i32.const 32
    local.set 4
    i32.const 0
    local.set 3
    local.get 1
    local.set 5
    local.get 2
    local.set 6
    block
      loop
        local.get 3
        i32.const 1
        i32.add
        local.get 4
        i32.lt_s
        i32.eqz
        br_if 1
        local.get 5
        local.get 6
        v128.load64_splat
        local.get 6
        f64.load offset=64
        f64x2.replace_lane 1
        local.tee 8
        local.get 8
        f64x2.mul
        local.tee 7
        v128.store64_lane 0
        local.get 5
        local.get 7
        v128.store64_lane offset=288 1
        local.get 5
        local.get 8
        local.get 6
        v128.load64_splat offset=8
        local.get 6
        f64.load offset=72
        f64x2.replace_lane 1
        local.tee 9
        f64x2.mul
        local.tee 7
        v128.store64_lane offset=8 0
        local.get 5
        local.get 7
        v128.store64_lane offset=296 1
        local.get 5
        local.get 8
        local.get 6
        v128.load64_splat offset=16
        local.get 6
        f64.load offset=80
        f64x2.replace_lane 1
        local.tee 10
        f64x2.mul
        local.tee 7
        v128.store64_lane offset=16 0
        local.get 5
        local.get 7
        v128.store64_lane offset=304 1
        local.get 5
        local.get 8
        local.get 6
        v128.load64_splat offset=24
        local.get 6
        f64.load offset=88
        f64x2.replace_lane 1
        local.tee 11
        f64x2.mul
        local.tee 7
        v128.store64_lane offset=24 0
        local.get 5
        local.get 7
        v128.store64_lane offset=312 1
        local.get 5
        local.get 8
        local.get 6
        v128.load64_splat offset=32
        local.get 6
        f64.load offset=96
        f64x2.replace_lane 1
        local.tee 12
        f64x2.mul
        local.tee 7
        v128.store64_lane offset=32 0
        local.get 5
        local.get 7
        v128.store64_lane offset=320 1
        local.get 5
        local.get 8
        local.get 6
        v128.load64_splat offset=40
        local.get 6
        f64.load offset=104
        f64x2.replace_lane 1
        local.tee 13
        f64x2.mul
        local.tee 7
        v128.store64_lane offset=40 0
        local.get 5
        local.get 7
        v128.store64_lane offset=328 1
        local.get 5
        local.get 8
        local.get 6
        v128.load64_splat offset=48
        local.get 6
        f64.load offset=112
        f64x2.replace_lane 1
        local.tee 14
        f64x2.mul
        local.tee 7
        v128.store64_lane offset=48 0
        local.get 5
        local.get 7
        v128.store64_lane offset=336 1
        local.get 5
        local.get 8
        local.get 6
        v128.load64_splat offset=56
        local.get 6
        f64.load offset=120
        f64x2.replace_lane 1
        local.tee 15
        f64x2.mul
        local.tee 7
        v128.store64_lane offset=56 0
        local.get 5
        local.get 7
        v128.store64_lane offset=344 1
        local.get 5
        local.get 9
        local.get 9
        f64x2.mul
        local.tee 7
        v128.store64_lane offset=64 0
        local.get 5
        local.get 7
        v128.store64_lane offset=352 1
        local.get 5
        local.get 9
        local.get 10
        f64x2.mul
        local.tee 7
        v128.store64_lane offset=72 0
        local.get 5
        local.get 7
        v128.store64_lane offset=360 1
        local.get 5
        local.get 9
        local.get 11
        f64x2.mul
        local.tee 7
        v128.store64_lane offset=80 0
        local.get 5
        local.get 7
        v128.store64_lane offset=368 1
        local.get 5
        local.get 9
        local.get 12
        f64x2.mul
        local.tee 7
        v128.store64_lane offset=88 0
        local.get 5
        local.get 7
        v128.store64_lane offset=376 1
        local.get 5
        local.get 9
        local.get 13
        f64x2.mul
        local.tee 7
        v128.store64_lane offset=96 0
        local.get 5
        local.get 7
        v128.store64_lane offset=384 1
        local.get 5
        local.get 9
        local.get 14
        f64x2.mul
        local.tee 7
        v128.store64_lane offset=104 0
        local.get 5
        local.get 7
        v128.store64_lane offset=392 1
        local.get 5
        local.get 9
        local.get 15
        f64x2.mul
        local.tee 7
        v128.store64_lane offset=112 0
        local.get 5
        local.get 7
        v128.store64_lane offset=400 1
        local.get 5
        local.get 10
        local.get 10
        f64x2.mul
        local.tee 7
        v128.store64_lane offset=120 0
        local.get 5
        local.get 7
        v128.store64_lane offset=408 1
        local.get 5
        local.get 10
        local.get 11
        f64x2.mul
        local.tee 7
        v128.store64_lane offset=128 0
        local.get 5
        local.get 7
        v128.store64_lane offset=416 1
        local.get 5
        local.get 10
        local.get 12
        f64x2.mul
        local.tee 7
        v128.store64_lane offset=136 0
        local.get 5
        local.get 7
        v128.store64_lane offset=424 1
        local.get 5
        local.get 10
        local.get 13
        f64x2.mul
        local.tee 7
        v128.store64_lane offset=144 0
        local.get 5
        local.get 7
        v128.store64_lane offset=432 1
        local.get 5
        local.get 10
        local.get 14
        f64x2.mul
        local.tee 7
        v128.store64_lane offset=152 0
        local.get 5
        local.get 7
        v128.store64_lane offset=440 1
        local.get 5
        local.get 10
        local.get 15
        f64x2.mul
        local.tee 7
        v128.store64_lane offset=160 0
        local.get 5
        local.get 7
        v128.store64_lane offset=448 1
        local.get 5
        local.get 11
        local.get 11
        f64x2.mul
        local.tee 7
        v128.store64_lane offset=168 0
        local.get 5
        local.get 7
        v128.store64_lane offset=456 1
        local.get 5
        local.get 11
        local.get 12
        f64x2.mul
        local.tee 7
        v128.store64_lane offset=176 0
        local.get 5
        local.get 7
        v128.store64_lane offset=464 1
        local.get 5
        local.get 11
        local.get 13
        f64x2.mul
        local.tee 7
        v128.store64_lane offset=184 0
        local.get 5
        local.get 7
        v128.store64_lane offset=472 1
        local.get 5
        local.get 11
        local.get 14
        f64x2.mul
        local.tee 7
        v128.store64_lane offset=192 0
        local.get 5
        local.get 7
        v128.store64_lane offset=480 1
        local.get 5
        local.get 11
        local.get 15
        f64x2.mul
        local.tee 7
        v128.store64_lane offset=200 0
        local.get 5
        local.get 7
        v128.store64_lane offset=488 1
        local.get 5
        local.get 12
        local.get 12
        f64x2.mul
        local.tee 7
        v128.store64_lane offset=208 0
        local.get 5
        local.get 7
        v128.store64_lane offset=496 1
        local.get 5
        local.get 12
        local.get 13
        f64x2.mul
        local.tee 7
        v128.store64_lane offset=216 0
        local.get 5
        local.get 7
        v128.store64_lane offset=504 1
        local.get 5
        local.get 12
        local.get 14
        f64x2.mul
        local.tee 7
        v128.store64_lane offset=224 0
        local.get 5
        local.get 7
        v128.store64_lane offset=512 1
        local.get 5
        local.get 12
        local.get 15
        f64x2.mul
        local.tee 7
        v128.store64_lane offset=232 0
        local.get 5
        local.get 7
        v128.store64_lane offset=520 1
        local.get 5
        local.get 13
        local.get 13
        f64x2.mul
        local.tee 7
        v128.store64_lane offset=240 0
        local.get 5
        local.get 7
        v128.store64_lane offset=528 1
        local.get 5
        local.get 13
        local.get 14
        f64x2.mul
        local.tee 7
        v128.store64_lane offset=248 0
        local.get 5
        local.get 7
        v128.store64_lane offset=536 1
        local.get 5
        local.get 13
        local.get 15
        f64x2.mul
        local.tee 7
        v128.store64_lane offset=256 0
        local.get 5
        local.get 7
        v128.store64_lane offset=544 1
        local.get 5
        local.get 14
        local.get 14
        f64x2.mul
        local.tee 7
        v128.store64_lane offset=264 0
        local.get 5
        local.get 7
        v128.store64_lane offset=552 1
        local.get 5
        local.get 14
        local.get 15
        f64x2.mul
        local.tee 7
        v128.store64_lane offset=272 0
        local.get 5
        local.get 7
        v128.store64_lane offset=560 1
        local.get 5
        local.get 15
        local.get 15
        f64x2.mul
        local.tee 7
        v128.store64_lane offset=280 0
        local.get 5
        local.get 7
        v128.store64_lane offset=568 1
        local.get 5
        i32.const 576
        i32.add
        local.set 5
        local.get 6
        i32.const 128
        i32.add
        local.set 6
        local.get 3
        i32.const 2
        i32.add
        local.set 3
        br 0
      end
    end
  )
  (func $s2 (export "s2") (param i32 i32 i32 i32)
    local.get 0
    i32.const 32
    i32.const 8
    local.get 2
    i32.const 8
    local.get 3
    i32.const 32
    local.get 1
    i32.const 32
    call 0
  )
  (func $s3 (export "s3") (param i32 i32 i32 i32)
    (local i32 i32 i32 i32 i32)
    local.get 0
    local.set 5
    i32.const 0
    local.set 4
    local.get 1
    local.set 6
    local.get 2
    local.set 7
    local.get 3
    local.set 8
    block
      loop
        local.get 4
        local.get 5
        i32.lt_s
        i32.eqz
        br_if 1
        local.get 6
        local.get 7
        v128.load align=8
        local.get 8
        v128.load align=8
        f64x2.add
        v128.store align=8
        local.get 6
        local.get 7
        v128.load offset=16 align=8
        local.get 8
        v128.load offset=16 align=8
        f64x2.add
        v128.store offset=16 align=8
        local.get 6
        local.get 7
        v128.load offset=32 align=8
        local.get 8
        v128.load offset=32 align=8
        f64x2.add
        v128.store offset=32 align=8
        local.get 6
        local.get 7
        v128.load offset=48 align=8
        local.get 8
        v128.load offset=48 align=8
        f64x2.add
        v128.store offset=48 align=8
        local.get 6
        local.get 7
        v128.load offset=64 align=8
        local.get 8
        v128.load offset=64 align=8
        f64x2.add
        v128.store offset=64 align=8
        local.get 6
        local.get 7
        v128.load offset=80 align=8
        local.get 8
        v128.load offset=80 align=8
        f64x2.add
        v128.store offset=80 align=8
        local.get 6
        local.get 7
        v128.load offset=96 align=8
        local.get 8
        v128.load offset=96 align=8
        f64x2.add
        v128.store offset=96 align=8
        local.get 6
        local.get 7
        v128.load offset=112 align=8
        local.get 8
        v128.load offset=112 align=8
        f64x2.add
        v128.store offset=112 align=8
        local.get 6
        local.get 7
        v128.load offset=128 align=8
        local.get 8
        v128.load offset=128 align=8
        f64x2.add
        v128.store offset=128 align=8
        local.get 6
        local.get 7
        v128.load offset=144 align=8
        local.get 8
        v128.load offset=144 align=8
        f64x2.add
        v128.store offset=144 align=8
        local.get 6
        local.get 7
        v128.load offset=160 align=8
        local.get 8
        v128.load offset=160 align=8
        f64x2.add
        v128.store offset=160 align=8
        local.get 6
        local.get 7
        v128.load offset=176 align=8
        local.get 8
        v128.load offset=176 align=8
        f64x2.add
        v128.store offset=176 align=8
        local.get 6
        local.get 7
        v128.load offset=192 align=8
        local.get 8
        v128.load offset=192 align=8
        f64x2.add
        v128.store offset=192 align=8
        local.get 6
        local.get 7
        v128.load offset=208 align=8
        local.get 8
        v128.load offset=208 align=8
        f64x2.add
        v128.store offset=208 align=8
        local.get 6
        local.get 7
        v128.load offset=224 align=8
        local.get 8
        v128.load offset=224 align=8
        f64x2.add
        v128.store offset=224 align=8
        local.get 6
        local.get 7
        v128.load offset=240 align=8
        local.get 8
        v128.load offset=240 align=8
        f64x2.add
        v128.store offset=240 align=8
        local.get 6
        i32.const 256
        i32.add
        local.set 6
        local.get 7
        i32.const 256
        i32.add
        local.set 7
        local.get 4
        i32.const 1
        i32.add
        local.set 4
        br 0
      end
    end
  )
  (func $s4 (export "s4") (param i32 i32 i32 i32 i32)
    (local i32 i32 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128)
    local.get 0
    i32.const 256
    i32.mul
    local.set 5
    i32.const 0
    local.set 6
    block
      loop
        local.get 6
        i32.const 32
        i32.add
        local.get 5
        i32.le_s
        i32.eqz
        br_if 1
        local.get 4
        local.get 6
        i32.add
        v128.load
        local.set 7
        local.get 7
        local.set 9
        local.get 9
        f64x2.abs
        local.get 9
        f64x2.abs
        f64x2.add
        v128.const f64x2 44 44
        f64x2.pmin
        local.set 10
        local.get 10
        v128.const f64x2 1.4426950408889634 1.4426950408889634
        f64x2.mul
        f64x2.nearest
        local.set 14
        local.get 10
        local.get 14
        v128.const f64x2 0.6931471803691238 0.6931471803691238
        f64x2.mul
        f64x2.sub
        local.get 14
        v128.const f64x2 1.9082149292705877e-10 1.9082149292705877e-10
        f64x2.mul
        f64x2.sub
        local.set 15
        local.get 14
        v128.const f64x2 6755399441055744 6755399441055744
        f64x2.add
        i32.const 52
        i64x2.shl
        v128.const f64x2 1 1
        i64x2.add
        local.set 13
        local.get 15
        local.get 15
        f64x2.mul
        local.set 16
        local.get 16
        local.get 16
        f64x2.mul
        local.set 17
        local.get 17
        local.get 17
        f64x2.mul
        local.set 18
        local.get 15
        v128.const f64x2 0.5 0.5
        f64x2.mul
        v128.const f64x2 1 1
        f64x2.add
        local.get 15
        v128.const f64x2 0.041666666666666664 0.041666666666666664
        f64x2.mul
        v128.const f64x2 0.16666666666666666 0.16666666666666666
        f64x2.add
        local.get 16
        f64x2.mul
        f64x2.add
        local.get 15
        v128.const f64x2 0.001388888888888889 0.001388888888888889
        f64x2.mul
        v128.const f64x2 0.008333333333333333 0.008333333333333333
        f64x2.add
        local.get 15
        v128.const f64x2 0.0000248015873015873 0.0000248015873015873
        f64x2.mul
        v128.const f64x2 0.0001984126984126984 0.0001984126984126984
        f64x2.add
        local.get 16
        f64x2.mul
        f64x2.add
        local.get 17
        f64x2.mul
        f64x2.add
        local.get 15
        v128.const f64x2 2.755731922398589e-7 2.755731922398589e-7
        f64x2.mul
        v128.const f64x2 0.0000027557319223985893 0.0000027557319223985893
        f64x2.add
        local.get 15
        v128.const f64x2 2.08767569878681e-9 2.08767569878681e-9
        f64x2.mul
        v128.const f64x2 2.505210838544172e-8 2.505210838544172e-8
        f64x2.add
        local.get 16
        f64x2.mul
        f64x2.add
        local.get 17
        v128.const f64x2 1.6059043836821613e-10 1.6059043836821613e-10
        f64x2.mul
        f64x2.add
        local.get 18
        f64x2.mul
        f64x2.add
        local.get 15
        f64x2.mul
        local.get 13
        f64x2.mul
        local.get 13
        v128.const f64x2 1 1
        f64x2.sub
        f64x2.add
        local.tee 11
        local.get 11
        v128.const f64x2 2 2
        f64x2.add
        f64x2.div
        local.set 12
        local.get 9
        local.get 12
        v128.const f64x2 -0 -0
        v128.bitselect
        local.set 8
        local.get 1
        local.get 6
        i32.add
        local.get 8
        v128.store
        local.get 2
        local.get 6
        i32.add
        local.get 8
        f64x2.neg
        local.get 8
        f64x2.mul
        v128.const f64x2 1 1
        f64x2.add
        v128.store
        local.get 3
        local.get 6
        i32.add
        v128.const f64x2 2 2
        local.get 8
        f64x2.mul
        local.get 8
        f64x2.mul
        v128.const f64x2 2 2
        f64x2.sub
        local.get 8
        f64x2.mul
        v128.store
        local.get 4
        local.get 6
        i32.add
        v128.load offset=16
        local.set 19
        local.get 19
        local.set 21
        local.get 21
        f64x2.abs
        local.get 21
        f64x2.abs
        f64x2.add
        v128.const f64x2 44 44
        f64x2.pmin
        local.set 22
        local.get 22
        v128.const f64x2 1.4426950408889634 1.4426950408889634
        f64x2.mul
        f64x2.nearest
        local.set 26
        local.get 22
        local.get 26
        v128.const f64x2 0.6931471803691238 0.6931471803691238
        f64x2.mul
        f64x2.sub
        local.get 26
        v128.const f64x2 1.9082149292705877e-10 1.9082149292705877e-10
        f64x2.mul
        f64x2.sub
        local.set 27
        local.get 26
        v128.const f64x2 6755399441055744 6755399441055744
        f64x2.add
        i32.const 52
        i64x2.shl
        v128.const f64x2 1 1
        i64x2.add
        local.set 25
        local.get 27
        local.get 27
        f64x2.mul
        local.set 28
        local.get 28
        local.get 28
        f64x2.mul
        local.set 29
        local.get 29
        local.get 29
        f64x2.mul
        local.set 30
        local.get 27
        v128.const f64x2 0.5 0.5
        f64x2.mul
        v128.const f64x2 1 1
        f64x2.add
        local.get 27
        v128.const f64x2 0.041666666666666664 0.041666666666666664
        f64x2.mul
        v128.const f64x2 0.16666666666666666 0.16666666666666666
        f64x2.add
        local.get 28
        f64x2.mul
        f64x2.add
        local.get 27
        v128.const f64x2 0.001388888888888889 0.001388888888888889
        f64x2.mul
        v128.const f64x2 0.008333333333333333 0.008333333333333333
        f64x2.add
        local.get 27
        v128.const f64x2 0.0000248015873015873 0.0000248015873015873
        f64x2.mul
        v128.const f64x2 0.0001984126984126984 0.0001984126984126984
        f64x2.add
        local.get 28
        f64x2.mul
        f64x2.add
        local.get 29
        f64x2.mul
        f64x2.add
        local.get 27
        v128.const f64x2 2.755731922398589e-7 2.755731922398589e-7
        f64x2.mul
        v128.const f64x2 0.0000027557319223985893 0.0000027557319223985893
        f64x2.add
        local.get 27
        v128.const f64x2 2.08767569878681e-9 2.08767569878681e-9
        f64x2.mul
        v128.const f64x2 2.505210838544172e-8 2.505210838544172e-8
        f64x2.add
        local.get 28
        f64x2.mul
        f64x2.add
        local.get 29
        v128.const f64x2 1.6059043836821613e-10 1.6059043836821613e-10
        f64x2.mul
        f64x2.add
        local.get 30
        f64x2.mul
        f64x2.add
        local.get 27
        f64x2.mul
        local.get 25
        f64x2.mul
        local.get 25
        v128.const f64x2 1 1
        f64x2.sub
        f64x2.add
        local.tee 23
        local.get 23
        v128.const f64x2 2 2
        f64x2.add
        f64x2.div
        local.set 24
        local.get 21
        local.get 24
        v128.const f64x2 -0 -0
        v128.bitselect
        local.set 20
        local.get 1
        local.get 6
        i32.add
        local.get 20
        v128.store offset=16
        local.get 2
        local.get 6
        i32.add
        local.get 20
        f64x2.neg
        local.get 20
        f64x2.mul
        v128.const f64x2 1 1
        f64x2.add
        v128.store offset=16
        local.get 3
        local.get 6
        i32.add
        v128.const f64x2 2 2
        local.get 20
        f64x2.mul
        local.get 20
        f64x2.mul
        v128.const f64x2 2 2
        f64x2.sub
        local.get 20
        f64x2.mul
        v128.store offset=16
        local.get 6
        i32.const 32
        i32.add
        local.set 6
        br 0
      end
    end
    block
      local.get 6
      i32.const 16
      i32.add
      local.get 5
      i32.gt_s
      br_if 0
      local.get 4
      local.get 6
      i32.add
      v128.load
      local.set 31
      local.get 31
      local.set 33
      local.get 33
      f64x2.abs
      local.get 33
      f64x2.abs
      f64x2.add
      v128.const f64x2 44 44
      f64x2.pmin
      local.set 34
      local.get 34
      v128.const f64x2 1.4426950408889634 1.4426950408889634
      f64x2.mul
      f64x2.nearest
      local.set 38
      local.get 34
      local.get 38
      v128.const f64x2 0.6931471803691238 0.6931471803691238
      f64x2.mul
      f64x2.sub
      local.get 38
      v128.const f64x2 1.9082149292705877e-10 1.9082149292705877e-10
      f64x2.mul
      f64x2.sub
      local.set 39
      local.get 38
      v128.const f64x2 6755399441055744 6755399441055744
      f64x2.add
      i32.const 52
      i64x2.shl
      v128.const f64x2 1 1
      i64x2.add
      local.set 37
      local.get 39
      local.get 39
      f64x2.mul
      local.set 40
      local.get 40
      local.get 40
      f64x2.mul
      local.set 41
      local.get 41
      local.get 41
      f64x2.mul
      local.set 42
      local.get 39
      v128.const f64x2 0.5 0.5
      f64x2.mul
      v128.const f64x2 1 1
      f64x2.add
      local.get 39
      v128.const f64x2 0.041666666666666664 0.041666666666666664
      f64x2.mul
      v128.const f64x2 0.16666666666666666 0.16666666666666666
      f64x2.add
      local.get 40
      f64x2.mul
      f64x2.add
      local.get 39
      v128.const f64x2 0.001388888888888889 0.001388888888888889
      f64x2.mul
      v128.const f64x2 0.008333333333333333 0.008333333333333333
      f64x2.add
      local.get 39
      v128.const f64x2 0.0000248015873015873 0.0000248015873015873
      f64x2.mul
      v128.const f64x2 0.0001984126984126984 0.0001984126984126984
      f64x2.add
      local.get 40
      f64x2.mul
      f64x2.add
      local.get 41
      f64x2.mul
      f64x2.add
      local.get 39
      v128.const f64x2 2.755731922398589e-7 2.755731922398589e-7
      f64x2.mul
      v128.const f64x2 0.0000027557319223985893 0.0000027557319223985893
      f64x2.add
      local.get 39
      v128.const f64x2 2.08767569878681e-9 2.08767569878681e-9
      f64x2.mul
      v128.const f64x2 2.505210838544172e-8 2.505210838544172e-8
      f64x2.add
      local.get 40
      f64x2.mul
      f64x2.add
      local.get 41
      v128.const f64x2 1.6059043836821613e-10 1.6059043836821613e-10
      f64x2.mul
      f64x2.add
      local.get 42
      f64x2.mul
      f64x2.add
      local.get 39
      f64x2.mul
      local.get 37
      f64x2.mul
      local.get 37
      v128.const f64x2 1 1
      f64x2.sub
      f64x2.add
      local.tee 35
      local.get 35
      v128.const f64x2 2 2
      f64x2.add
      f64x2.div
      local.set 36
      local.get 33
      local.get 36
      v128.const f64x2 -0 -0
      v128.bitselect
      local.set 32
      local.get 1
      local.get 6
      i32.add
      local.get 32
      v128.store
      local.get 2
      local.get 6
      i32.add
      local.get 32
      f64x2.neg
      local.get 32
      f64x2.mul
      v128.const f64x2 1 1
      f64x2.add
      v128.store
      local.get 3
      local.get 6
      i32.add
      v128.const f64x2 2 2
      local.get 32
      f64x2.mul
      local.get 32
      f64x2.mul
      v128.const f64x2 2 2
      f64x2.sub
      local.get 32
      f64x2.mul
      v128.store
      local.get 6
      i32.const 16
      i32.add
      local.set 6
    end
    block
      local.get 6
      local.get 5
      i32.ge_s
      br_if 0
      local.get 4
      local.get 6
      i32.add
      v128.load64_zero
      local.set 43
      local.get 43
      local.set 45
      local.get 45
      f64x2.abs
      local.get 45
      f64x2.abs
      f64x2.add
      v128.const f64x2 44 44
      f64x2.pmin
      local.set 46
      local.get 46
      v128.const f64x2 1.4426950408889634 1.4426950408889634
      f64x2.mul
      f64x2.nearest
      local.set 50
      local.get 46
      local.get 50
      v128.const f64x2 0.6931471803691238 0.6931471803691238
      f64x2.mul
      f64x2.sub
      local.get 50
      v128.const f64x2 1.9082149292705877e-10 1.9082149292705877e-10
      f64x2.mul
      f64x2.sub
      local.set 51
      local.get 50
      v128.const f64x2 6755399441055744 6755399441055744
      f64x2.add
      i32.const 52
      i64x2.shl
      v128.const f64x2 1 1
      i64x2.add
      local.set 49
      local.get 51
      local.get 51
      f64x2.mul
      local.set 52
      local.get 52
      local.get 52
      f64x2.mul
      local.set 53
      local.get 53
      local.get 53
      f64x2.mul
      local.set 54
      local.get 51
      v128.const f64x2 0.5 0.5
      f64x2.mul
      v128.const f64x2 1 1
      f64x2.add
      local.get 51
      v128.const f64x2 0.041666666666666664 0.041666666666666664
      f64x2.mul
      v128.const f64x2 0.16666666666666666 0.16666666666666666
      f64x2.add
      local.get 52
      f64x2.mul
      f64x2.add
      local.get 51
      v128.const f64x2 0.001388888888888889 0.001388888888888889
      f64x2.mul
      v128.const f64x2 0.008333333333333333 0.008333333333333333
      f64x2.add
      local.get 51
      v128.const f64x2 0.0000248015873015873 0.0000248015873015873
      f64x2.mul
      v128.const f64x2 0.0001984126984126984 0.0001984126984126984
      f64x2.add
      local.get 52
      f64x2.mul
      f64x2.add
      local.get 53
      f64x2.mul
      f64x2.add
      local.get 51
      v128.const f64x2 2.755731922398589e-7 2.755731922398589e-7
      f64x2.mul
      v128.const f64x2 0.0000027557319223985893 0.0000027557319223985893
      f64x2.add
      local.get 51
      v128.const f64x2 2.08767569878681e-9 2.08767569878681e-9
      f64x2.mul
      v128.const f64x2 2.505210838544172e-8 2.505210838544172e-8
      f64x2.add
      local.get 52
      f64x2.mul
      f64x2.add
      local.get 53
      v128.const f64x2 1.6059043836821613e-10 1.6059043836821613e-10
      f64x2.mul
      f64x2.add
      local.get 54
      f64x2.mul
      f64x2.add
      local.get 51
      f64x2.mul
      local.get 49
      f64x2.mul
      local.get 49
      v128.const f64x2 1 1
      f64x2.sub
      f64x2.add
      local.tee 47
      local.get 47
      v128.const f64x2 2 2
      f64x2.add
      f64x2.div
      local.set 48
      local.get 45
      local.get 48
      v128.const f64x2 -0 -0
      v128.bitselect
      local.set 44
      local.get 1
      local.get 6
      i32.add
      local.get 44
      v128.store64_lane 0
      local.get 2
      local.get 6
      i32.add
      local.get 44
      f64x2.neg
      local.get 44
      f64x2.mul
      v128.const f64x2 1 1
      f64x2.add
      v128.store64_lane 0
      local.get 3
      local.get 6
      i32.add
      v128.const f64x2 2 2
      local.get 44
      f64x2.mul
      local.get 44
      f64x2.mul
      v128.const f64x2 2 2
      f64x2.sub
      local.get 44
      f64x2.mul
      v128.store64_lane 0
    end
  )
  (func $s5 (export "s5") (param i32 i32 i32 i32)
    (local i32 i32 i32 i32 i32 i32 i32 i32 i32 i32)
    local.get 0
    local.set 5
    i32.const 0
    local.set 4
    local.get 1
    local.set 6
    local.get 2
    local.set 7
    local.get 3
    local.set 8
    block
      loop
        local.get 4
        local.get 5
        i32.lt_s
        i32.eqz
        br_if 1
        i32.const 32
        local.set 10
        i32.const 0
        local.set 9
        local.get 6
        local.set 11
        local.get 7
        local.set 12
        local.get 8
        local.set 13
        block
          loop
            local.get 9
            local.get 10
            i32.lt_s
            i32.eqz
            br_if 1
            local.get 11
            local.get 12
            v128.load64_splat
            local.get 13
            v128.load align=8
            f64x2.mul
            v128.store align=8
            local.get 11
            local.get 12
            v128.load64_splat
            local.get 13
            v128.load offset=16 align=8
            f64x2.mul
            v128.store offset=16 align=8
            local.get 11
            local.get 12
            v128.load64_splat
            local.get 13
            v128.load offset=32 align=8
            f64x2.mul
            v128.store offset=32 align=8
            local.get 11
            local.get 12
            v128.load64_splat
            local.get 13
            v128.load offset=48 align=8
            f64x2.mul
            v128.store offset=48 align=8
            local.get 11
            i32.const 64
            i32.add
            local.set 11
            local.get 12
            i32.const 8
            i32.add
            local.set 12
            local.get 13
            i32.const 64
            i32.add
            local.set 13
            local.get 9
            i32.const 1
            i32.add
            local.set 9
            br 0
          end
        end
        local.get 6
        i32.const 2048
        i32.add
        local.set 6
        local.get 7
        i32.const 256
        i32.add
        local.set 7
        local.get 4
        i32.const 1
        i32.add
        local.set 4
        br 0
      end
    end
  )
  (func $s6 (export "s6") (param i32 i32 i32 i32)
    local.get 0
    i32.const 32
    i32.const 32
    local.get 2
    i32.const 32
    local.get 3
    i32.const 32
    local.get 1
    i32.const 32
    call 0
  )
  (func $s7 (export "s7") (param i32 i32 i32 i32)
    (local i32 i32 i32 i32 i32)
    local.get 0
    local.set 5
    i32.const 0
    local.set 4
    local.get 1
    local.set 6
    local.get 3
    local.set 7
    local.get 2
    local.set 8
    block
      loop
        local.get 4
        local.get 5
        i32.lt_s
        i32.eqz
        br_if 1
        i32.const 32
        i32.const 8
        i32.const 32
        local.get 7
        i32.const 32
        local.get 8
        i32.const 8
        local.get 6
        i32.const 8
        call 1
        local.get 6
        i32.const 2048
        i32.add
        local.set 6
        local.get 8
        i32.const 2048
        i32.add
        local.set 8
        local.get 4
        i32.const 1
        i32.add
        local.set 4
        br 0
      end
    end
  )
  (func $s8 (export "s8") (param i32 i32 i32 i32)
    (local i32 i32 i32 i32 i32)
    local.get 0
    local.set 5
    i32.const 0
    local.set 4
    local.get 1
    local.set 6
    local.get 2
    local.set 7
    local.get 3
    local.set 8
    block
      loop
        local.get 4
        local.get 5
        i32.lt_s
        i32.eqz
        br_if 1
        local.get 6
        local.get 7
        v128.load align=8
        local.get 8
        v128.load align=8
        f64x2.add
        v128.store align=8
        local.get 6
        local.get 7
        v128.load offset=16 align=8
        local.get 8
        v128.load offset=16 align=8
        f64x2.add
        v128.store offset=16 align=8
        local.get 6
        local.get 7
        v128.load offset=32 align=8
        local.get 8
        v128.load offset=32 align=8
        f64x2.add
        v128.store offset=32 align=8
        local.get 6
        local.get 7
        v128.load offset=48 align=8
        local.get 8
        v128.load offset=48 align=8
        f64x2.add
        v128.store offset=48 align=8
        local.get 6
        local.get 7
        v128.load offset=64 align=8
        local.get 8
        v128.load offset=64 align=8
        f64x2.add
        v128.store offset=64 align=8
        local.get 6
        local.get 7
        v128.load offset=80 align=8
        local.get 8
        v128.load offset=80 align=8
        f64x2.add
        v128.store offset=80 align=8
        local.get 6
        local.get 7
        v128.load offset=96 align=8
        local.get 8
        v128.load offset=96 align=8
        f64x2.add
        v128.store offset=96 align=8
        local.get 6
        local.get 7
        v128.load offset=112 align=8
        local.get 8
        v128.load offset=112 align=8
        f64x2.add
        v128.store offset=112 align=8
        local.get 6
        local.get 7
        v128.load offset=128 align=8
        local.get 8
        v128.load offset=128 align=8
        f64x2.add
        v128.store offset=128 align=8
        local.get 6
        local.get 7
        v128.load offset=144 align=8
        local.get 8
        v128.load offset=144 align=8
        f64x2.add
        v128.store offset=144 align=8
        local.get 6
        local.get 7
        v128.load offset=160 align=8
        local.get 8
        v128.load offset=160 align=8
        f64x2.add
        v128.store offset=160 align=8
        local.get 6
        local.get 7
        v128.load offset=176 align=8
        local.get 8
        v128.load offset=176 align=8
        f64x2.add
        v128.store offset=176 align=8
        local.get 6
        local.get 7
        v128.load offset=192 align=8
        local.get 8
        v128.load offset=192 align=8
        f64x2.add
        v128.store offset=192 align=8
        local.get 6
        local.get 7
        v128.load offset=208 align=8
        local.get 8
        v128.load offset=208 align=8
        f64x2.add
        v128.store offset=208 align=8
        local.get 6
        local.get 7
        v128.load offset=224 align=8
        local.get 8
        v128.load offset=224 align=8
        f64x2.add
        v128.store offset=224 align=8
        local.get 6
        local.get 7
        v128.load offset=240 align=8
        local.get 8
        v128.load offset=240 align=8
        f64x2.add
        v128.store offset=240 align=8
        local.get 6
        i32.const 256
        i32.add
        local.set 6
        local.get 7
        i32.const 256
        i32.add
        local.set 7
        local.get 4
        i32.const 1
        i32.add
        local.set 4
        br 0
      end
    end
  )
  (func $s9 (export "s9") (param i32 i32 i32 i32 i32)
    (local i32 i32 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128)
    local.get 0
    i32.const 256
    i32.mul
    local.set 5
    i32.const 0
    local.set 6
    block
      loop
        local.get 6
        i32.const 32
        i32.add
        local.get 5
        i32.le_s
        i32.eqz
        br_if 1
        local.get 4
        local.get 6
        i32.add
        v128.load
        local.set 7
        local.get 7
        local.set 9
        local.get 9
        f64x2.abs
        local.get 9
        f64x2.abs
        f64x2.add
        v128.const f64x2 44 44
        f64x2.pmin
        local.set 10
        local.get 10
        v128.const f64x2 1.4426950408889634 1.4426950408889634
        f64x2.mul
        f64x2.nearest
        local.set 14
        local.get 10
        local.get 14
        v128.const f64x2 0.6931471803691238 0.6931471803691238
        f64x2.mul
        f64x2.sub
        local.get 14
        v128.const f64x2 1.9082149292705877e-10 1.9082149292705877e-10
        f64x2.mul
        f64x2.sub
        local.set 15
        local.get 14
        v128.const f64x2 6755399441055744 6755399441055744
        f64x2.add
        i32.const 52
        i64x2.shl
        v128.const f64x2 1 1
        i64x2.add
        local.set 13
        local.get 15
        local.get 15
        f64x2.mul
        local.set 16
        local.get 16
        local.get 16
        f64x2.mul
        local.set 17
        local.get 17
        local.get 17
        f64x2.mul
        local.set 18
        local.get 15
        v128.const f64x2 0.5 0.5
        f64x2.mul
        v128.const f64x2 1 1
        f64x2.add
        local.get 15
        v128.const f64x2 0.041666666666666664 0.041666666666666664
        f64x2.mul
        v128.const f64x2 0.16666666666666666 0.16666666666666666
        f64x2.add
        local.get 16
        f64x2.mul
        f64x2.add
        local.get 15
        v128.const f64x2 0.001388888888888889 0.001388888888888889
        f64x2.mul
        v128.const f64x2 0.008333333333333333 0.008333333333333333
        f64x2.add
        local.get 15
        v128.const f64x2 0.0000248015873015873 0.0000248015873015873
        f64x2.mul
        v128.const f64x2 0.0001984126984126984 0.0001984126984126984
        f64x2.add
        local.get 16
        f64x2.mul
        f64x2.add
        local.get 17
        f64x2.mul
        f64x2.add
        local.get 15
        v128.const f64x2 2.755731922398589e-7 2.755731922398589e-7
        f64x2.mul
        v128.const f64x2 0.0000027557319223985893 0.0000027557319223985893
        f64x2.add
        local.get 15
        v128.const f64x2 2.08767569878681e-9 2.08767569878681e-9
        f64x2.mul
        v128.const f64x2 2.505210838544172e-8 2.505210838544172e-8
        f64x2.add
        local.get 16
        f64x2.mul
        f64x2.add
        local.get 17
        v128.const f64x2 1.6059043836821613e-10 1.6059043836821613e-10
        f64x2.mul
        f64x2.add
        local.get 18
        f64x2.mul
        f64x2.add
        local.get 15
        f64x2.mul
        local.get 13
        f64x2.mul
        local.get 13
        v128.const f64x2 1 1
        f64x2.sub
        f64x2.add
        local.tee 11
        local.get 11
        v128.const f64x2 2 2
        f64x2.add
        f64x2.div
        local.set 12
        local.get 9
        local.get 12
        v128.const f64x2 -0 -0
        v128.bitselect
        local.set 8
        local.get 1
        local.get 6
        i32.add
        local.get 8
        v128.store
        local.get 2
        local.get 6
        i32.add
        local.get 8
        f64x2.neg
        local.get 8
        f64x2.mul
        v128.const f64x2 1 1
        f64x2.add
        v128.store
        local.get 3
        local.get 6
        i32.add
        v128.const f64x2 2 2
        local.get 8
        f64x2.mul
        local.get 8
        f64x2.mul
        v128.const f64x2 2 2
        f64x2.sub
        local.get 8
        f64x2.mul
        v128.store
        local.get 4
        local.get 6
        i32.add
        v128.load offset=16
        local.set 19
        local.get 19
        local.set 21
        local.get 21
        f64x2.abs
        local.get 21
        f64x2.abs
        f64x2.add
        v128.const f64x2 44 44
        f64x2.pmin
        local.set 22
        local.get 22
        v128.const f64x2 1.4426950408889634 1.4426950408889634
        f64x2.mul
        f64x2.nearest
        local.set 26
        local.get 22
        local.get 26
        v128.const f64x2 0.6931471803691238 0.6931471803691238
        f64x2.mul
        f64x2.sub
        local.get 26
        v128.const f64x2 1.9082149292705877e-10 1.9082149292705877e-10
        f64x2.mul
        f64x2.sub
        local.set 27
        local.get 26
        v128.const f64x2 6755399441055744 6755399441055744
        f64x2.add
        i32.const 52
        i64x2.shl
        v128.const f64x2 1 1
        i64x2.add
        local.set 25
        local.get 27
        local.get 27
        f64x2.mul
        local.set 28
        local.get 28
        local.get 28
        f64x2.mul
        local.set 29
        local.get 29
        local.get 29
        f64x2.mul
        local.set 30
        local.get 27
        v128.const f64x2 0.5 0.5
        f64x2.mul
        v128.const f64x2 1 1
        f64x2.add
        local.get 27
        v128.const f64x2 0.041666666666666664 0.041666666666666664
        f64x2.mul
        v128.const f64x2 0.16666666666666666 0.16666666666666666
        f64x2.add
        local.get 28
        f64x2.mul
        f64x2.add
        local.get 27
        v128.const f64x2 0.001388888888888889 0.001388888888888889
        f64x2.mul
        v128.const f64x2 0.008333333333333333 0.008333333333333333
        f64x2.add
        local.get 27
        v128.const f64x2 0.0000248015873015873 0.0000248015873015873
        f64x2.mul
        v128.const f64x2 0.0001984126984126984 0.0001984126984126984
        f64x2.add
        local.get 28
        f64x2.mul
        f64x2.add
        local.get 29
        f64x2.mul
        f64x2.add
        local.get 27
        v128.const f64x2 2.755731922398589e-7 2.755731922398589e-7
        f64x2.mul
        v128.const f64x2 0.0000027557319223985893 0.0000027557319223985893
        f64x2.add
        local.get 27
        v128.const f64x2 2.08767569878681e-9 2.08767569878681e-9
        f64x2.mul
        v128.const f64x2 2.505210838544172e-8 2.505210838544172e-8
        f64x2.add
        local.get 28
        f64x2.mul
        f64x2.add
        local.get 29
        v128.const f64x2 1.6059043836821613e-10 1.6059043836821613e-10
        f64x2.mul
        f64x2.add
        local.get 30
        f64x2.mul
        f64x2.add
        local.get 27
        f64x2.mul
        local.get 25
        f64x2.mul
        local.get 25
        v128.const f64x2 1 1
        f64x2.sub
        f64x2.add
        local.tee 23
        local.get 23
        v128.const f64x2 2 2
        f64x2.add
        f64x2.div
        local.set 24
        local.get 21
        local.get 24
        v128.const f64x2 -0 -0
        v128.bitselect
        local.set 20
        local.get 1
        local.get 6
        i32.add
        local.get 20
        v128.store offset=16
        local.get 2
        local.get 6
        i32.add
        local.get 20
        f64x2.neg
        local.get 20
        f64x2.mul
        v128.const f64x2 1 1
        f64x2.add
        v128.store offset=16
        local.get 3
        local.get 6
        i32.add
        v128.const f64x2 2 2
        local.get 20
        f64x2.mul
        local.get 20
        f64x2.mul
        v128.const f64x2 2 2
        f64x2.sub
        local.get 20
        f64x2.mul
        v128.store offset=16
        local.get 6
        i32.const 32
        i32.add
        local.set 6
        br 0
      end
    end
    block
      local.get 6
      i32.const 16
      i32.add
      local.get 5
      i32.gt_s
      br_if 0
      local.get 4
      local.get 6
      i32.add
      v128.load
      local.set 31
      local.get 31
      local.set 33
      local.get 33
      f64x2.abs
      local.get 33
      f64x2.abs
      f64x2.add
      v128.const f64x2 44 44
      f64x2.pmin
      local.set 34
      local.get 34
      v128.const f64x2 1.4426950408889634 1.4426950408889634
      f64x2.mul
      f64x2.nearest
      local.set 38
      local.get 34
      local.get 38
      v128.const f64x2 0.6931471803691238 0.6931471803691238
      f64x2.mul
      f64x2.sub
      local.get 38
      v128.const f64x2 1.9082149292705877e-10 1.9082149292705877e-10
      f64x2.mul
      f64x2.sub
      local.set 39
      local.get 38
      v128.const f64x2 6755399441055744 6755399441055744
      f64x2.add
      i32.const 52
      i64x2.shl
      v128.const f64x2 1 1
      i64x2.add
      local.set 37
      local.get 39
      local.get 39
      f64x2.mul
      local.set 40
      local.get 40
      local.get 40
      f64x2.mul
      local.set 41
      local.get 41
      local.get 41
      f64x2.mul
      local.set 42
      local.get 39
      v128.const f64x2 0.5 0.5
      f64x2.mul
      v128.const f64x2 1 1
      f64x2.add
      local.get 39
      v128.const f64x2 0.041666666666666664 0.041666666666666664
      f64x2.mul
      v128.const f64x2 0.16666666666666666 0.16666666666666666
      f64x2.add
      local.get 40
      f64x2.mul
      f64x2.add
      local.get 39
      v128.const f64x2 0.001388888888888889 0.001388888888888889
      f64x2.mul
      v128.const f64x2 0.008333333333333333 0.008333333333333333
      f64x2.add
      local.get 39
      v128.const f64x2 0.0000248015873015873 0.0000248015873015873
      f64x2.mul
      v128.const f64x2 0.0001984126984126984 0.0001984126984126984
      f64x2.add
      local.get 40
      f64x2.mul
      f64x2.add
      local.get 41
      f64x2.mul
      f64x2.add
      local.get 39
      v128.const f64x2 2.755731922398589e-7 2.755731922398589e-7
      f64x2.mul
      v128.const f64x2 0.0000027557319223985893 0.0000027557319223985893
      f64x2.add
      local.get 39
      v128.const f64x2 2.08767569878681e-9 2.08767569878681e-9
      f64x2.mul
      v128.const f64x2 2.505210838544172e-8 2.505210838544172e-8
      f64x2.add
      local.get 40
      f64x2.mul
      f64x2.add
      local.get 41
      v128.const f64x2 1.6059043836821613e-10 1.6059043836821613e-10
      f64x2.mul
      f64x2.add
      local.get 42
      f64x2.mul
      f64x2.add
      local.get 39
      f64x2.mul
      local.get 37
      f64x2.mul
      local.get 37
      v128.const f64x2 1 1
      f64x2.sub
      f64x2.add
      local.tee 35
      local.get 35
      v128.const f64x2 2 2
      f64x2.add
      f64x2.div
      local.set 36
      local.get 33
      local.get 36
      v128.const f64x2 -0 -0
      v128.bitselect
      local.set 32
      local.get 1
      local.get 6
      i32.add
      local.get 32
      v128.store
      local.get 2
      local.get 6
      i32.add
      local.get 32
      f64x2.neg
      local.get 32
      f64x2.mul
      v128.const f64x2 1 1
      f64x2.add
      v128.store
      local.get 3
      local.get 6
      i32.add
      v128.const f64x2 2 2
      local.get 32
      f64x2.mul
      local.get 32
      f64x2.mul
      v128.const f64x2 2 2
      f64x2.sub
      local.get 32
      f64x2.mul
      v128.store
      local.get 6
      i32.const 16
      i32.add
      local.set 6
    end
    block
      local.get 6
      local.get 5
      i32.ge_s
      br_if 0
      local.get 4
      local.get 6
      i32.add
      v128.load64_zero
      local.set 43
      local.get 43
      local.set 45
      local.get 45
      f64x2.abs
      local.get 45
      f64x2.abs
      f64x2.add
      v128.const f64x2 44 44
      f64x2.pmin
      local.set 46
      local.get 46
      v128.const f64x2 1.4426950408889634 1.4426950408889634
      f64x2.mul
      f64x2.nearest
      local.set 50
      local.get 46
      local.get 50
      v128.const f64x2 0.6931471803691238 0.6931471803691238
      f64x2.mul
      f64x2.sub
      local.get 50
      v128.const f64x2 1.9082149292705877e-10 1.9082149292705877e-10
      f64x2.mul
      f64x2.sub
      local.set 51
      local.get 50
      v128.const f64x2 6755399441055744 6755399441055744
      f64x2.add
      i32.const 52
      i64x2.shl
      v128.const f64x2 1 1
      i64x2.add
      local.set 49
      local.get 51
      local.get 51
      f64x2.mul
      local.set 52
      local.get 52
      local.get 52
      f64x2.mul
      local.set 53
      local.get 53
      local.get 53
      f64x2.mul
      local.set 54
      local.get 51
      v128.const f64x2 0.5 0.5
      f64x2.mul
      v128.const f64x2 1 1
      f64x2.add
      local.get 51
      v128.const f64x2 0.041666666666666664 0.041666666666666664
      f64x2.mul
      v128.const f64x2 0.16666666666666666 0.16666666666666666
      f64x2.add
      local.get 52
      f64x2.mul
      f64x2.add
      local.get 51
      v128.const f64x2 0.001388888888888889 0.001388888888888889
      f64x2.mul
      v128.const f64x2 0.008333333333333333 0.008333333333333333
      f64x2.add
      local.get 51
      v128.const f64x2 0.0000248015873015873 0.0000248015873015873
      f64x2.mul
      v128.const f64x2 0.0001984126984126984 0.0001984126984126984
      f64x2.add
      local.get 52
      f64x2.mul
      f64x2.add
      local.get 53
      f64x2.mul
      f64x2.add
      local.get 51
      v128.const f64x2 2.755731922398589e-7 2.755731922398589e-7
      f64x2.mul
      v128.const f64x2 0.0000027557319223985893 0.0000027557319223985893
      f64x2.add
      local.get 51
      v128.const f64x2 2.08767569878681e-9 2.08767569878681e-9
      f64x2.mul
      v128.const f64x2 2.505210838544172e-8 2.505210838544172e-8
      f64x2.add
      local.get 52
      f64x2.mul
      f64x2.add
      local.get 53
      v128.const f64x2 1.6059043836821613e-10 1.6059043836821613e-10
      f64x2.mul
      f64x2.add
      local.get 54
      f64x2.mul
      f64x2.add
      local.get 51
      f64x2.mul
      local.get 49
      f64x2.mul
      local.get 49
      v128.const f64x2 1 1
      f64x2.sub
      f64x2.add
      local.tee 47
      local.get 47
      v128.const f64x2 2 2
      f64x2.add
      f64x2.div
      local.set 48
      local.get 45
      local.get 48
      v128.const f64x2 -0 -0
      v128.bitselect
      local.set 44
      local.get 1
      local.get 6
      i32.add
      local.get 44
      v128.store64_lane 0
      local.get 2
      local.get 6
      i32.add
      local.get 44
      f64x2.neg
      local.get 44
      f64x2.mul
      v128.const f64x2 1 1
      f64x2.add
      v128.store64_lane 0
      local.get 3
      local.get 6
      i32.add
      v128.const f64x2 2 2
      local.get 44
      f64x2.mul
      local.get 44
      f64x2.mul
      v128.const f64x2 2 2
      f64x2.sub
      local.get 44
      f64x2.mul
      v128.store64_lane 0
    end
  )
  (func $s10 (export "s10") (param i32 i32 i32 i32)
    (local i32 i32 i32 i32 i32 i32 i32 i32 i32 i32)
    local.get 0
    local.set 5
    i32.const 0
    local.set 4
    local.get 1
    local.set 6
    local.get 2
    local.set 7
    local.get 3
    local.set 8
    block
      loop
        local.get 4
        local.get 5
        i32.lt_s
        i32.eqz
        br_if 1
        i32.const 32
        local.set 10
        i32.const 0
        local.set 9
        local.get 6
        local.set 11
        local.get 7
        local.set 12
        local.get 8
        local.set 13
        block
          loop
            local.get 9
            local.get 10
            i32.lt_s
            i32.eqz
            br_if 1
            local.get 11
            local.get 12
            v128.load64_splat
            local.get 13
            v128.load align=8
            f64x2.mul
            v128.store align=8
            local.get 11
            local.get 12
            v128.load64_splat
            local.get 13
            v128.load offset=16 align=8
            f64x2.mul
            v128.store offset=16 align=8
            local.get 11
            local.get 12
            v128.load64_splat
            local.get 13
            v128.load offset=32 align=8
            f64x2.mul
            v128.store offset=32 align=8
            local.get 11
            local.get 12
            v128.load64_splat
            local.get 13
            v128.load offset=48 align=8
            f64x2.mul
            v128.store offset=48 align=8
            local.get 11
            i32.const 64
            i32.add
            local.set 11
            local.get 12
            i32.const 8
            i32.add
            local.set 12
            local.get 13
            i32.const 64
            i32.add
            local.set 13
            local.get 9
            i32.const 1
            i32.add
            local.set 9
            br 0
          end
        end
        local.get 6
        i32.const 2048
        i32.add
        local.set 6
        local.get 7
        i32.const 256
        i32.add
        local.set 7
        local.get 8
        i32.const 2048
        i32.add
        local.set 8
        local.get 4
        i32.const 1
        i32.add
        local.set 4
        br 0
      end
    end
  )
  (func $s11 (export "s11") (param i32 i32 i32 i32)
    (local i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128)
    local.get 0
    local.set 5
    i32.const 0
    local.set 4
    local.get 1
    local.set 6
    local.get 2
    local.set 7
    local.get 3
    local.set 8
    block
      loop
        local.get 4
        local.get 5
        i32.lt_s
        i32.eqz
        br_if 1
        i32.const 32
        local.set 10
        i32.const 0
        local.set 9
        local.get 6
        local.set 11
        local.get 7
        local.set 12
        local.get 8
        local.set 13
        block
          loop
            local.get 9
            i32.const 1
            i32.add
            local.get 10
            i32.lt_s
            i32.eqz
            br_if 1
            local.get 11
            local.get 12
            v128.load align=8
            local.tee 15
            local.get 13
            v128.load64_splat
            local.get 13
            f64.load offset=64
            f64x2.replace_lane 1
            local.tee 16
            f64x2.mul
            local.tee 17
            local.get 16
            f64x2.mul
            local.tee 14
            v128.store64_lane 0
            local.get 11
            local.get 14
            v128.store64_lane offset=288 1
            local.get 11
            local.get 17
            local.get 13
            v128.load64_splat offset=8
            local.get 13
            f64.load offset=72
            f64x2.replace_lane 1
            local.tee 18
            f64x2.mul
            local.tee 14
            v128.store64_lane offset=8 0
            local.get 11
            local.get 14
            v128.store64_lane offset=296 1
            local.get 11
            local.get 17
            local.get 13
            v128.load64_splat offset=16
            local.get 13
            f64.load offset=80
            f64x2.replace_lane 1
            local.tee 19
            f64x2.mul
            local.tee 14
            v128.store64_lane offset=16 0
            local.get 11
            local.get 14
            v128.store64_lane offset=304 1
            local.get 11
            local.get 17
            local.get 13
            v128.load64_splat offset=24
            local.get 13
            f64.load offset=88
            f64x2.replace_lane 1
            local.tee 20
            f64x2.mul
            local.tee 14
            v128.store64_lane offset=24 0
            local.get 11
            local.get 14
            v128.store64_lane offset=312 1
            local.get 11
            local.get 17
            local.get 13
            v128.load64_splat offset=32
            local.get 13
            f64.load offset=96
            f64x2.replace_lane 1
            local.tee 21
            f64x2.mul
            local.tee 14
            v128.store64_lane offset=32 0
            local.get 11
            local.get 14
            v128.store64_lane offset=320 1
            local.get 11
            local.get 17
            local.get 13
            v128.load64_splat offset=40
            local.get 13
            f64.load offset=104
            f64x2.replace_lane 1
            local.tee 22
            f64x2.mul
            local.tee 14
            v128.store64_lane offset=40 0
            local.get 11
            local.get 14
            v128.store64_lane offset=328 1
            local.get 11
            local.get 17
            local.get 13
            v128.load64_splat offset=48
            local.get 13
            f64.load offset=112
            f64x2.replace_lane 1
            local.tee 23
            f64x2.mul
            local.tee 14
            v128.store64_lane offset=48 0
            local.get 11
            local.get 14
            v128.store64_lane offset=336 1
            local.get 11
            local.get 17
            local.get 13
            v128.load64_splat offset=56
            local.get 13
            f64.load offset=120
            f64x2.replace_lane 1
            local.tee 24
            f64x2.mul
            local.tee 14
            v128.store64_lane offset=56 0
            local.get 11
            local.get 14
            v128.store64_lane offset=344 1
            local.get 11
            local.get 15
            local.get 18
            f64x2.mul
            local.tee 25
            local.get 18
            f64x2.mul
            local.tee 14
            v128.store64_lane offset=64 0
            local.get 11
            local.get 14
            v128.store64_lane offset=352 1
            local.get 11
            local.get 25
            local.get 19
            f64x2.mul
            local.tee 14
            v128.store64_lane offset=72 0
            local.get 11
            local.get 14
            v128.store64_lane offset=360 1
            local.get 11
            local.get 25
            local.get 20
            f64x2.mul
            local.tee 14
            v128.store64_lane offset=80 0
            local.get 11
            local.get 14
            v128.store64_lane offset=368 1
            local.get 11
            local.get 25
            local.get 21
            f64x2.mul
            local.tee 14
            v128.store64_lane offset=88 0
            local.get 11
            local.get 14
            v128.store64_lane offset=376 1
            local.get 11
            local.get 25
            local.get 22
            f64x2.mul
            local.tee 14
            v128.store64_lane offset=96 0
            local.get 11
            local.get 14
            v128.store64_lane offset=384 1
            local.get 11
            local.get 25
            local.get 23
            f64x2.mul
            local.tee 14
            v128.store64_lane offset=104 0
            local.get 11
            local.get 14
            v128.store64_lane offset=392 1
            local.get 11
            local.get 25
            local.get 24
            f64x2.mul
            local.tee 14
            v128.store64_lane offset=112 0
            local.get 11
            local.get 14
            v128.store64_lane offset=400 1
            local.get 11
            local.get 15
            local.get 19
            f64x2.mul
            local.tee 26
            local.get 19
            f64x2.mul
            local.tee 14
            v128.store64_lane offset=120 0
            local.get 11
            local.get 14
            v128.store64_lane offset=408 1
            local.get 11
            local.get 26
            local.get 20
            f64x2.mul
            local.tee 14
            v128.store64_lane offset=128 0
            local.get 11
            local.get 14
            v128.store64_lane offset=416 1
            local.get 11
            local.get 26
            local.get 21
            f64x2.mul
            local.tee 14
            v128.store64_lane offset=136 0
            local.get 11
            local.get 14
            v128.store64_lane offset=424 1
            local.get 11
            local.get 26
            local.get 22
            f64x2.mul
            local.tee 14
            v128.store64_lane offset=144 0
            local.get 11
            local.get 14
            v128.store64_lane offset=432 1
            local.get 11
            local.get 26
            local.get 23
            f64x2.mul
            local.tee 14
            v128.store64_lane offset=152 0
            local.get 11
            local.get 14
            v128.store64_lane offset=440 1
            local.get 11
            local.get 26
            local.get 24
            f64x2.mul
            local.tee 14
            v128.store64_lane offset=160 0
            local.get 11
            local.get 14
            v128.store64_lane offset=448 1
            local.get 11
            local.get 15
            local.get 20
            f64x2.mul
            local.tee 27
            local.get 20
            f64x2.mul
            local.tee 14
            v128.store64_lane offset=168 0
            local.get 11
            local.get 14
            v128.store64_lane offset=456 1
            local.get 11
            local.get 27
            local.get 21
            f64x2.mul
            local.tee 14
            v128.store64_lane offset=176 0
            local.get 11
            local.get 14
            v128.store64_lane offset=464 1
            local.get 11
            local.get 27
            local.get 22
            f64x2.mul
            local.tee 14
            v128.store64_lane offset=184 0
            local.get 11
            local.get 14
            v128.store64_lane offset=472 1
            local.get 11
            local.get 27
            local.get 23
            f64x2.mul
            local.tee 14
            v128.store64_lane offset=192 0
            local.get 11
            local.get 14
            v128.store64_lane offset=480 1
            local.get 11
            local.get 27
            local.get 24
            f64x2.mul
            local.tee 14
            v128.store64_lane offset=200 0
            local.get 11
            local.get 14
            v128.store64_lane offset=488 1
            local.get 11
            local.get 15
            local.get 21
            f64x2.mul
            local.tee 28
            local.get 21
            f64x2.mul
            local.tee 14
            v128.store64_lane offset=208 0
            local.get 11
            local.get 14
            v128.store64_lane offset=496 1
            local.get 11
            local.get 28
            local.get 22
            f64x2.mul
            local.tee 14
            v128.store64_lane offset=216 0
            local.get 11
            local.get 14
            v128.store64_lane offset=504 1
            local.get 11
            local.get 28
            local.get 23
            f64x2.mul
            local.tee 14
            v128.store64_lane offset=224 0
            local.get 11
            local.get 14
            v128.store64_lane offset=512 1
            local.get 11
            local.get 28
            local.get 24
            f64x2.mul
            local.tee 14
            v128.store64_lane offset=232 0
            local.get 11
            local.get 14
            v128.store64_lane offset=520 1
            local.get 11
            local.get 15
            local.get 22
            f64x2.mul
            local.tee 29
            local.get 22
            f64x2.mul
            local.tee 14
            v128.store64_lane offset=240 0
            local.get 11
            local.get 14
            v128.store64_lane offset=528 1
            local.get 11
            local.get 29
            local.get 23
            f64x2.mul
            local.tee 14
            v128.store64_lane offset=248 0
            local.get 11
            local.get 14
            v128.store64_lane offset=536 1
            local.get 11
            local.get 29
            local.get 24
            f64x2.mul
            local.tee 14
            v128.store64_lane offset=256 0
            local.get 11
            local.get 14
            v128.store64_lane offset=544 1
            local.get 11
            local.get 15
            local.get 23
            f64x2.mul
            local.tee 30
            local.get 23
            f64x2.mul
            local.tee 14
            v128.store64_lane offset=264 0
            local.get 11
            local.get 14
            v128.store64_lane offset=552 1
            local.get 11
            local.get 30
            local.get 24
            f64x2.mul
            local.tee 14
            v128.store64_lane offset=272 0
            local.get 11
            local.get 14
            v128.store64_lane offset=560 1
            local.get 11
            local.get 15
            local.get 24
            f64x2.mul
            local.get 24
            f64x2.mul
            local.tee 14
            v128.store64_lane offset=280 0
            local.get 11
            local.get 14
            v128.store64_lane offset=568 1
            local.get 11
            i32.const 576
            i32.add
            local.set 11
            local.get 12
            i32.const 16
            i32.add
            local.set 12
            local.get 13
            i32.const 128
            i32.add
            local.set 13
            local.get 9
            i32.const 2
            i32.add
            local.set 9
            br 0
          end
        end
        local.get 6
        i32.const 9216
        i32.add
        local.set 6
        local.get 7
        i32.const 256
        i32.add
        local.set 7
        local.get 8
        i32.const 2048
        i32.add
        local.set 8
        local.get 4
        i32.const 1
        i32.add
        local.set 4
        br 0
      end
    end
  )
  (func $s12 (export "s12") (param i32 i32 i32 i32)
    local.get 0
    i32.const 4
    i32.const 32
    local.get 2
    i32.const 32
    local.get 3
    i32.const 4
    local.get 1
    i32.const 4
    call 0
  )
  (func $s13 (export "s13") (param i32 i32 i32 i32)
    (local i32 i32 i32 i32 i32)
    local.get 0
    local.set 5
    i32.const 0
    local.set 4
    local.get 1
    local.set 6
    local.get 3
    local.set 7
    local.get 2
    local.set 8
    block
      loop
        local.get 4
        local.get 5
        i32.lt_s
        i32.eqz
        br_if 1
        i32.const 4
        i32.const 8
        i32.const 32
        local.get 7
        i32.const 4
        local.get 8
        i32.const 8
        local.get 6
        i32.const 8
        call 1
        local.get 6
        i32.const 256
        i32.add
        local.set 6
        local.get 8
        i32.const 2048
        i32.add
        local.set 8
        local.get 4
        i32.const 1
        i32.add
        local.set 4
        br 0
      end
    end
  )
  (func $s14 (export "s14") (param i32 i32 i32 i32)
    (local i32 i32 i32 i32 i32 i32 i32 i32 i32 i32)
    local.get 0
    local.set 5
    i32.const 0
    local.set 4
    local.get 1
    local.set 6
    local.get 2
    local.set 7
    local.get 3
    local.set 8
    block
      loop
        local.get 4
        local.get 5
        i32.lt_s
        i32.eqz
        br_if 1
        i32.const 32
        local.set 10
        i32.const 0
        local.set 9
        local.get 6
        local.set 11
        local.get 7
        local.set 12
        local.get 8
        local.set 13
        block
          loop
            local.get 9
            local.get 10
            i32.lt_s
            i32.eqz
            br_if 1
            local.get 11
            local.get 12
            v128.load64_splat
            local.get 13
            v128.load align=8
            f64x2.mul
            v128.store align=8
            local.get 11
            local.get 12
            v128.load64_splat
            local.get 13
            v128.load offset=16 align=8
            f64x2.mul
            v128.store offset=16 align=8
            local.get 11
            i32.const 32
            i32.add
            local.set 11
            local.get 12
            i32.const 8
            i32.add
            local.set 12
            local.get 13
            i32.const 32
            i32.add
            local.set 13
            local.get 9
            i32.const 1
            i32.add
            local.set 9
            br 0
          end
        end
        local.get 6
        i32.const 1024
        i32.add
        local.set 6
        local.get 7
        i32.const 256
        i32.add
        local.set 7
        local.get 4
        i32.const 1
        i32.add
        local.set 4
        br 0
      end
    end
  )
  (func $s15 (export "s15") (param i32 i32 i32 i32)
    (local i32 i32 i32 i32 i32)
    local.get 0
    local.set 5
    i32.const 0
    local.set 4
    local.get 1
    local.set 6
    local.get 2
    local.set 7
    local.get 3
    local.set 8
    block
      loop
        local.get 4
        local.get 5
        i32.lt_s
        i32.eqz
        br_if 1
        i32.const 32
        i32.const 4
        i32.const 32
        local.get 7
        i32.const 32
        local.get 8
        i32.const 4
        local.get 6
        i32.const 4
        call 0
        local.get 6
        i32.const 1024
        i32.add
        local.set 6
        local.get 8
        i32.const 1024
        i32.add
        local.set 8
        local.get 4
        i32.const 1
        i32.add
        local.set 4
        br 0
      end
    end
  )
  (func $s16 (export "s16") (param i32 i32 i32 i32)
    (local i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 v128)
    local.get 0
    local.set 5
    i32.const 0
    local.set 4
    local.get 1
    local.set 6
    local.get 2
    local.set 7
    local.get 3
    local.set 8
    block
      loop
        local.get 4
        local.get 5
        i32.lt_s
        i32.eqz
        br_if 1
        i32.const 4
        local.set 10
        i32.const 0
        local.set 9
        local.get 6
        local.set 11
        local.get 7
        local.set 12
        local.get 8
        local.set 13
        block
          loop
            local.get 9
            i32.const 1
            i32.add
            local.get 10
            i32.lt_s
            i32.eqz
            br_if 1
            local.get 11
            local.get 12
            v128.load64_splat
            local.get 13
            v128.load align=8
            f64x2.mul
            local.tee 14
            v128.store64_lane 0
            local.get 11
            local.get 14
            v128.store64_lane offset=256 1
            local.get 11
            local.get 12
            v128.load64_splat offset=8
            local.get 13
            v128.load offset=32 align=8
            f64x2.mul
            local.tee 14
            v128.store64_lane offset=8 0
            local.get 11
            local.get 14
            v128.store64_lane offset=264 1
            local.get 11
            local.get 12
            v128.load64_splat offset=16
            local.get 13
            v128.load offset=64 align=8
            f64x2.mul
            local.tee 14
            v128.store64_lane offset=16 0
            local.get 11
            local.get 14
            v128.store64_lane offset=272 1
            local.get 11
            local.get 12
            v128.load64_splat offset=24
            local.get 13
            v128.load offset=96 align=8
            f64x2.mul
            local.tee 14
            v128.store64_lane offset=24 0
            local.get 11
            local.get 14
            v128.store64_lane offset=280 1
            local.get 11
            local.get 12
            v128.load64_splat offset=32
            local.get 13
            v128.load offset=128 align=8
            f64x2.mul
            local.tee 14
            v128.store64_lane offset=32 0
            local.get 11
            local.get 14
            v128.store64_lane offset=288 1
            local.get 11
            local.get 12
            v128.load64_splat offset=40
            local.get 13
            v128.load offset=160 align=8
            f64x2.mul
            local.tee 14
            v128.store64_lane offset=40 0
            local.get 11
            local.get 14
            v128.store64_lane offset=296 1
            local.get 11
            local.get 12
            v128.load64_splat offset=48
            local.get 13
            v128.load offset=192 align=8
            f64x2.mul
            local.tee 14
            v128.store64_lane offset=48 0
            local.get 11
            local.get 14
            v128.store64_lane offset=304 1
            local.get 11
            local.get 12
            v128.load64_splat offset=56
            local.get 13
            v128.load offset=224 align=8
            f64x2.mul
            local.tee 14
            v128.store64_lane offset=56 0
            local.get 11
            local.get 14
            v128.store64_lane offset=312 1
            local.get 11
            local.get 12
            v128.load64_splat offset=64
            local.get 13
            v128.load offset=256 align=8
            f64x2.mul
            local.tee 14
            v128.store64_lane offset=64 0
            local.get 11
            local.get 14
            v128.store64_lane offset=320 1
            local.get 11
            local.get 12
            v128.load64_splat offset=72
            local.get 13
            v128.load offset=288 align=8
            f64x2.mul
            local.tee 14
            v128.store64_lane offset=72 0
            local.get 11
            local.get 14
            v128.store64_lane offset=328 1
            local.get 11
            local.get 12
            v128.load64_splat offset=80
            local.get 13
            v128.load offset=320 align=8
            f64x2.mul
            local.tee 14
            v128.store64_lane offset=80 0
            local.get 11
            local.get 14
            v128.store64_lane offset=336 1
            local.get 11
            local.get 12
            v128.load64_splat offset=88
            local.get 13
            v128.load offset=352 align=8
            f64x2.mul
            local.tee 14
            v128.store64_lane offset=88 0
            local.get 11
            local.get 14
            v128.store64_lane offset=344 1
            local.get 11
            local.get 12
            v128.load64_splat offset=96
            local.get 13
            v128.load offset=384 align=8
            f64x2.mul
            local.tee 14
            v128.store64_lane offset=96 0
            local.get 11
            local.get 14
            v128.store64_lane offset=352 1
            local.get 11
            local.get 12
            v128.load64_splat offset=104
            local.get 13
            v128.load offset=416 align=8
            f64x2.mul
            local.tee 14
            v128.store64_lane offset=104 0
            local.get 11
            local.get 14
            v128.store64_lane offset=360 1
            local.get 11
            local.get 12
            v128.load64_splat offset=112
            local.get 13
            v128.load offset=448 align=8
            f64x2.mul
            local.tee 14
            v128.store64_lane offset=112 0
            local.get 11
            local.get 14
            v128.store64_lane offset=368 1
            local.get 11
            local.get 12
            v128.load64_splat offset=120
            local.get 13
            v128.load offset=480 align=8
            f64x2.mul
            local.tee 14
            v128.store64_lane offset=120 0
            local.get 11
            local.get 14
            v128.store64_lane offset=376 1
            local.get 11
            local.get 12
            v128.load64_splat offset=128
            local.get 13
            v128.load offset=512 align=8
            f64x2.mul
            local.tee 14
            v128.store64_lane offset=128 0
            local.get 11
            local.get 14
            v128.store64_lane offset=384 1
            local.get 11
            local.get 12
            v128.load64_splat offset=136
            local.get 13
            v128.load offset=544 align=8
            f64x2.mul
            local.tee 14
            v128.store64_lane offset=136 0
            local.get 11
            local.get 14
            v128.store64_lane offset=392 1
            local.get 11
            local.get 12
            v128.load64_splat offset=144
            local.get 13
            v128.load offset=576 align=8
            f64x2.mul
            local.tee 14
            v128.store64_lane offset=144 0
            local.get 11
            local.get 14
            v128.store64_lane offset=400 1
            local.get 11
            local.get 12
            v128.load64_splat offset=152
            local.get 13
            v128.load offset=608 align=8
            f64x2.mul
            local.tee 14
            v128.store64_lane offset=152 0
            local.get 11
            local.get 14
            v128.store64_lane offset=408 1
            local.get 11
            local.get 12
            v128.load64_splat offset=160
            local.get 13
            v128.load offset=640 align=8
            f64x2.mul
            local.tee 14
            v128.store64_lane offset=160 0
            local.get 11
            local.get 14
            v128.store64_lane offset=416 1
            local.get 11
            local.get 12
            v128.load64_splat offset=168
            local.get 13
            v128.load offset=672 align=8
            f64x2.mul
            local.tee 14
            v128.store64_lane offset=168 0
            local.get 11
            local.get 14
            v128.store64_lane offset=424 1
            local.get 11
            local.get 12
            v128.load64_splat offset=176
            local.get 13
            v128.load offset=704 align=8
            f64x2.mul
            local.tee 14
            v128.store64_lane offset=176 0
            local.get 11
            local.get 14
            v128.store64_lane offset=432 1
            local.get 11
            local.get 12
            v128.load64_splat offset=184
            local.get 13
            v128.load offset=736 align=8
            f64x2.mul
            local.tee 14
            v128.store64_lane offset=184 0
            local.get 11
            local.get 14
            v128.store64_lane offset=440 1
            local.get 11
            local.get 12
            v128.load64_splat offset=192
            local.get 13
            v128.load offset=768 align=8
            f64x2.mul
            local.tee 14
            v128.store64_lane offset=192 0
            local.get 11
            local.get 14
            v128.store64_lane offset=448 1
            local.get 11
            local.get 12
            v128.load64_splat offset=200
            local.get 13
            v128.load offset=800 align=8
            f64x2.mul
            local.tee 14
            v128.store64_lane offset=200 0
            local.get 11
            local.get 14
            v128.store64_lane offset=456 1
            local.get 11
            local.get 12
            v128.load64_splat offset=208
            local.get 13
            v128.load offset=832 align=8
            f64x2.mul
            local.tee 14
            v128.store64_lane offset=208 0
            local.get 11
            local.get 14
            v128.store64_lane offset=464 1
            local.get 11
            local.get 12
            v128.load64_splat offset=216
            local.get 13
            v128.load offset=864 align=8
            f64x2.mul
            local.tee 14
            v128.store64_lane offset=216 0
            local.get 11
            local.get 14
            v128.store64_lane offset=472 1
            local.get 11
            local.get 12
            v128.load64_splat offset=224
            local.get 13
            v128.load offset=896 align=8
            f64x2.mul
            local.tee 14
            v128.store64_lane offset=224 0
            local.get 11
            local.get 14
            v128.store64_lane offset=480 1
            local.get 11
            local.get 12
            v128.load64_splat offset=232
            local.get 13
            v128.load offset=928 align=8
            f64x2.mul
            local.tee 14
            v128.store64_lane offset=232 0
            local.get 11
            local.get 14
            v128.store64_lane offset=488 1
            local.get 11
            local.get 12
            v128.load64_splat offset=240
            local.get 13
            v128.load offset=960 align=8
            f64x2.mul
            local.tee 14
            v128.store64_lane offset=240 0
            local.get 11
            local.get 14
            v128.store64_lane offset=496 1
            local.get 11
            local.get 12
            v128.load64_splat offset=248
            local.get 13
            v128.load offset=992 align=8
            f64x2.mul
            local.tee 14
            v128.store64_lane offset=248 0
            local.get 11
            local.get 14
            v128.store64_lane offset=504 1
            local.get 11
            i32.const 512
            i32.add
            local.set 11
            local.get 13
            i32.const 16
            i32.add
            local.set 13
            local.get 9
            i32.const 2
            i32.add
            local.set 9
            br 0
          end
        end
        local.get 6
        i32.const 1024
        i32.add
        local.set 6
        local.get 7
        i32.const 256
        i32.add
        local.set 7
        local.get 8
        i32.const 1024
        i32.add
        local.set 8
        local.get 4
        i32.const 1
        i32.add
        local.set 4
        br 0
      end
    end
  )
  (func $s17 (export "s17") (param i32 i32 i32 i32 i32 i32)
    (local i32 i32 i32 i32 i32)
    local.get 0
    local.set 7
    i32.const 0
    local.set 6
    local.get 1
    local.set 8
    local.get 3
    local.set 9
    local.get 2
    local.set 10
    block
      loop
        local.get 6
        local.get 7
        i32.lt_s
        i32.eqz
        br_if 1
        i32.const 4
        i32.const 36
        i32.const 32
        local.get 9
        i32.const 4
        local.get 10
        i32.const 36
        local.get 8
        i32.const 36
        call 1
        local.get 8
        i32.const 1152
        i32.add
        local.set 8
        local.get 10
        i32.const 9216
        i32.add
        local.set 10
        local.get 6
        i32.const 1
        i32.add
        local.set 6
        br 0
      end
    end
    local.get 0
    i32.const 4
    i32.mul
    i32.const 36
    i32.const 32
    local.get 4
    i32.const 32
    local.get 5
    i32.const 36
    local.get 1
    i32.const 36
    call 0
  )
  (func $s18 (export "s18") (param i32 i32 i32 i32)
    (local i32 i32 i32 i32 i32)
    local.get 0
    local.set 5
    i32.const 0
    local.set 4
    local.get 1
    local.set 6
    local.get 2
    local.set 7
    local.get 3
    local.set 8
    block
      loop
        local.get 4
        local.get 5
        i32.lt_s
        i32.eqz
        br_if 1
        local.get 6
        local.get 7
        v128.load align=8
        local.get 8
        v128.load align=8
        f64x2.add
        v128.store align=8
        local.get 6
        local.get 7
        v128.load offset=16 align=8
        local.get 8
        v128.load offset=16 align=8
        f64x2.add
        v128.store offset=16 align=8
        local.get 6
        i32.const 32
        i32.add
        local.set 6
        local.get 7
        i32.const 32
        i32.add
        local.set 7
        local.get 4
        i32.const 1
        i32.add
        local.set 4
        br 0
      end
    end
  )
)
