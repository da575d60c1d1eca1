/**
 * Keeps every member of a consumer group on one topic set. kafkajs assigns a group's partitions
 * to any member, including one that never subscribed to that topic, whose handler then commits
 * events it never applied: a group split across topic sets silently loses events. So a bus
 * refuses the second, different set instead, on both adapters alike.
 */
export function groupTopicRegistry() {
  const groups = new Map<string, { topics: string; members: number }>();
  return {
    /** Registers one member; returns its release, to call when the member stops. */
    join(groupId: string, topics: string[]): () => void {
      const key = [...new Set(topics)].sort().join(',');
      const current = groups.get(groupId);
      if (current && current.topics !== key) {
        throw new TypeError(
          `Consumer group "${groupId}" already consumes [${current.topics}]; subscribe once with every topic ` +
            `instead of adding [${key}] (a group split across topic sets loses events)`,
        );
      }
      groups.set(groupId, { topics: key, members: (current?.members ?? 0) + 1 });
      let released = false;
      return () => {
        if (released) return;
        released = true;
        const entry = groups.get(groupId);
        if (entry && --entry.members === 0) groups.delete(groupId);
      };
    },
  };
}
