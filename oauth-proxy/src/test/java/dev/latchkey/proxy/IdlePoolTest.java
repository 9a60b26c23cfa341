package dev.latchkey.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.eclipse.jetty.util.Pool;
import org.junit.jupiter.api.Test;

/** The pool behind the proxy's connections to a provider keeps the contract Jetty's client relies on. */
class IdlePoolTest {

    private final IdlePool<String> pool = new IdlePool<>(2);

    private Pool.Entry<String> idle(String connection) {
        Pool.Entry<String> entry = pool.reserve();
        assertThat(entry.enable(connection, false)).isTrue();
        return entry;
    }

    @Test
    void reserves_no_more_entries_than_its_size() {
        Pool.Entry<String> first = pool.reserve();
        assertThat(first.isReserved()).isTrue();
        assertThat(pool.reserve()).isNotNull();
        assertThat(pool.reserve()).as("a third connection over a maximum of 2").isNull();
        first.remove();
        assertThat(pool.reserve()).as("a removed entry frees its place").isNotNull();
    }

    @Test
    void hands_out_only_idle_entries_the_most_recently_released_first() {
        Pool.Entry<String> a = idle("a");
        Pool.Entry<String> b = idle("b");

        Pool.Entry<String> taken = pool.acquire();
        assertThat(taken.getPooled()).isEqualTo("b");
        assertThat(taken.isInUse()).isTrue();
        assertThat(pool.acquire()).isSameAs(a);
        assertThat(pool.acquire()).as("both in use").isNull();

        assertThat(a.release()).isTrue();
        assertThat(b.release()).isTrue();
        assertThat(pool.acquire()).isSameAs(b);
        assertThat(b.release()).isTrue();
        assertThat(b.release()).as("released twice").isFalse();
    }

    @Test
    void an_entry_enabled_as_acquired_is_in_use_at_once() {
        Pool.Entry<String> entry = pool.reserve();
        assertThat(entry.enable("a", true)).isTrue();
        assertThat(entry.isInUse()).isTrue();
        assertThat(pool.acquire()).isNull();
        assertThatThrownBy(() -> entry.enable("again", false)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void a_removed_entry_is_never_handed_out_again() {
        Pool.Entry<String> idleOne = idle("a");
        Pool.Entry<String> inUse = idle("b");
        assertThat(pool.acquire()).isSameAs(inUse);

        assertThat(pool.getIdleCount()).isEqualTo(1);
        assertThat(idleOne.remove()).isTrue();
        assertThat(pool.getIdleCount()).as("a closed connection is not kept waiting in the queue").isZero();
        assertThat(idleOne.remove()).as("removed once only").isFalse();
        assertThat(inUse.remove()).as("an entry in use is removed at once").isTrue();
        assertThat(inUse.isInUse()).isFalse();
        assertThat(inUse.release()).isFalse();
        assertThat(pool.acquire()).isNull();
        assertThat(pool.size()).isZero();
    }

    @Test
    void a_terminated_pool_hands_out_and_takes_back_nothing() {
        IdlePool<String> three = new IdlePool<>(3);
        Pool.Entry<String> idleOne = three.reserve();
        idleOne.enable("a", false);
        Pool.Entry<String> inUse = three.reserve();
        inUse.enable("b", true);
        Pool.Entry<String> opening = three.reserve();

        assertThat(three.terminate()).containsExactlyInAnyOrder(idleOne, inUse, opening);
        assertThat(three.isTerminated()).isTrue();
        assertThat(three.size()).isZero();
        assertThat(three.acquire()).isNull();
        assertThat(three.reserve()).isNull();
        assertThat(inUse.release()).isFalse();
        assertThat(opening.enable("c", false)).as("a connection that opens after the end").isFalse();
        assertThat(idleOne.isTerminated()).isTrue();
        assertThat(inUse.remove()).as("still removed once, to be closed").isTrue();
        assertThat(inUse.isInUse()).isFalse();
    }
}
