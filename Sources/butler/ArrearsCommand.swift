import ArgumentParser

/// `butler arrears …`: the fee collection cycle of 002 #21 (CONTRACT "Fee arrears").
struct ArrearsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "arrears", abstract: "物业费欠费：欠费住户、欠费月份与金额、本月催缴次数、是否已上报。",
        discussion: """
            欠费数据来自收费系统的快照（butler import arrears FILE.csv）。每月第一个工作日，欠费住户出现在\
            所在网格管家的任务清单上（欠费催缴，28 日前完成；28 日不是工作日则提前到前一个工作日），\
            本月第一次催缴（touch --kind collection_call、collection_message 或 collection_letter）即完成；\
            28 日仍未缴清的住户上报项目经理（欠费上报）。缴清后相关任务自动关闭。
            示例：butler arrears list --project YS01
            """,
        subcommands: [ArrearsListCommand.self])
}
